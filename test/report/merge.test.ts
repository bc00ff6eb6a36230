// Shards as CI runs them: one `wfstore conformance --backends X` per backend, four processes at once, then
// `wfstore report merge`. The merged index.html, summary.json and junit.xml equal those of one run over the
// four backends, apart from the date and the timings. And shards that cannot be merged are refused, with
// one error naming the file.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BACKEND_NAMES } from '../../src/backends/registry.js';
import { provisionPostgres, type ProvisionedPostgres } from '../../src/testing/postgres/provision.js';
import {
  checkJunitStructure,
  htmlWithoutTimes,
  junitWithoutTimes,
  noXmllint,
  readReport,
  summaryWithoutTimes,
  wfstore,
  xsdErrors,
} from './support.js';

const last = (text: string) => text.trim().split('\n').at(-1)!;

// Every kind of row and cell the merge meets, without running the whole feature set twice: scenarios that
// apply everywhere, one not applicable to a backend without other processes (@multi-process), rows of one
// backend only, a SHOULD rule (WF-OUT-4), a Scenario Outline (WF-VAL-10) and the properties (REQ-PROPERTIES,
// at a few runs: what they find is the conformance files' concern, here they are rows like the others).
const KINDS = [
  '--tags',
  '@REQ-CONTRACT-SEQUENCE or @REQ-FILESYSTEM or @REQ-SQLITE or @WF-PG-1 or @WF-OUT-4 or @WF-VAL-10 or @REQ-PROPERTIES',
  ...['--property-runs', '5'],
];

describe('four shards merged equal one run', { timeout: 900_000 }, () => {
  let dir: string;
  let server: ProvisionedPostgres;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-merge-'));
    // One server for every process (the URL given to the tests, or one started here).
    server = await provisionPostgres({ log: () => {} });
    env = { ...process.env, WFSTORE_PG_URL: server.connectionString };
  });
  after(async () => {
    await server?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('index.html, summary.json and junit.xml are the single run’s, apart from dates and timings', async (t) => {
    const started = Date.now();
    const shards = await Promise.all(
      BACKEND_NAMES.map((b) =>
        wfstore(['conformance', '--backends', b, ...KINDS, '--report-dir', path.join(dir, `shard-${b}`)], env),
      ),
    );
    const shardsMs = Date.now() - started;
    for (const [i, shard] of shards.entries()) assert.equal(shard.status, 0, `${BACKEND_NAMES[i]}: ${shard.stderr}`);
    // Given in another order than the run's: the merge orders the columns as a run does.
    const dirs = BACKEND_NAMES.map((b) => path.join(dir, `shard-${b}`)).reverse();
    const merge = await wfstore(['report', 'merge', ...dirs, '--out', path.join(dir, 'merged')], env);
    assert.equal(merge.status, 0, merge.stderr);
    const single = await wfstore(['conformance', ...KINDS, '--report-dir', path.join(dir, 'single')], env);
    assert.equal(single.status, 0, single.stderr);
    t.diagnostic(`4 shards at once: ${(shardsMs / 1000).toFixed(1)} s; merge ${merge.ms} ms; one run ${single.ms} ms`);
    assert.equal(last(merge.stdout), last(single.stdout), 'the same closing line');

    const merged = await readReport(path.join(dir, 'merged'));
    const one = await readReport(path.join(dir, 'single'));
    assert.equal(htmlWithoutTimes(merged.html, 4), htmlWithoutTimes(one.html, 4));
    assert.deepEqual(summaryWithoutTimes(merged.summary), summaryWithoutTimes(one.summary));
    assert.equal(junitWithoutTimes(merged.junit), junitWithoutTimes(one.junit));
    const suites = checkJunitStructure(merged.junit);
    assert.deepEqual(
      suites.map((s) => s.attributes.name),
      [...BACKEND_NAMES],
      'one testsuite per backend',
    );
    // Each shard's own files come along, so the report's links work.
    for (const b of BACKEND_NAMES) await fs.access(path.join(dir, 'merged', b, 'cucumber.html'));
  });

  it('the merged junit.xml validates against Jenkins’ junit-4.xsd (xmllint)', { skip: noXmllint }, async () => {
    assert.equal(await xsdErrors(path.join(dir, 'merged', 'junit.xml')), '');
  });
});

describe('shards that cannot be merged: one error naming the file', { timeout: 300_000 }, () => {
  let dir: string;
  const TAGS = '@REQ-CONTRACT-CLOSE';
  const shard = (name: string) => path.join(dir, name);
  const run = (backend: string, name: string, tags = TAGS) =>
    wfstore(['conformance', '--backends', backend, '--tags', tags, '--report-dir', shard(name)]);
  const merge = (...names: string[]) => wfstore(['report', 'merge', ...names.map(shard), '--out', shard('out')]);

  /** Exit 2, and stderr one line naming the summary.json at fault. */
  function refused(result: Awaited<ReturnType<typeof merge>>, name: string, says: RegExp): void {
    assert.equal(result.status, 2, result.stdout + result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0]!.includes(path.join(shard(name), 'summary.json')), lines[0]);
    assert.match(lines[0]!, says);
  }

  async function editedCopy(from: string, to: string, edit: (summary: Record<string, unknown>) => void) {
    await fs.cp(shard(from), shard(to), { recursive: true });
    const file = path.join(shard(to), 'summary.json');
    const summary = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    edit(summary);
    await fs.writeFile(file, JSON.stringify(summary));
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-merge-refused-'));
    const runs = await Promise.all([
      run('memory', 'memory'),
      run('sqlite', 'sqlite'),
      run('sqlite', 'other', '@WF-CAS-1'),
    ]);
    for (const r of runs) assert.equal(r.status, 0, r.stderr);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('the two good shards merge', async () => {
    const result = await merge('memory', 'sqlite');
    assert.equal(result.status, 0, result.stderr);
  });

  it('a shard written by another wfstore version', async () => {
    await editedCopy('sqlite', 'older', (s) => {
      s.suite = { ...(s.suite as object), wfstore: '0.0.1' };
    });
    refused(await merge('memory', 'older'), 'older', /written by wfstore 0\.0\.1, the first shard by /);
  });

  it('a shard of other scenarios (another --tags)', async () => {
    refused(
      await merge('memory', 'other'),
      'other',
      /made from other scenarios .*another feature set, or another --tags/,
    );
  });

  it('a shard made from another feature set (its fingerprint)', async () => {
    await editedCopy('sqlite', 'features', (s) => {
      s.suite = { ...(s.suite as object), features: '0123456789abcdef' };
    });
    refused(await merge('memory', 'features'), 'features', /made from other scenarios \(features 0123456789abcdef\)/);
  });

  it('the same backend in two shards', async () => {
    await fs.cp(shard('sqlite'), shard('again'), { recursive: true });
    refused(await merge('sqlite', 'again'), 'again', /the backend "sqlite" is also in .*sqlite/);
  });

  it('a directory without a summary.json, one that is not JSON, one from before merges', async () => {
    await fs.mkdir(shard('empty'), { recursive: true });
    refused(await merge('memory', 'empty'), 'empty', /no such file: is this a report directory/);
    await fs.mkdir(shard('broken'), { recursive: true });
    await fs.writeFile(path.join(shard('broken'), 'summary.json'), '{"suite": ');
    refused(await merge('memory', 'broken'), 'broken', /JSON/);
    await editedCopy('sqlite', 'unsuited', (s) => {
      delete s.suite;
    });
    refused(await merge('memory', 'unsuited'), 'unsuited', /no "suite"/);
  });
});

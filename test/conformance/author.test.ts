// What an outside author of a store ran into, each checked on the memory store with that author's bug
// planted (test/conformance/fixtures/planted.ts): the report must say what failed, from the store's side,
// and point at the rule actually broken.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { propertyTimeLimit } from '../../src/properties/differential.js';
import { expectationsFrom } from '../../src/report/expectations.js';
import type { Cell, ConformanceSummary } from '../../src/report/summary.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLANTED = path.join(ROOT, 'test', 'conformance', 'fixtures', 'planted.ts');

interface Ran {
  code: number | null;
  output: string;
  summary: ConformanceSummary;
  junit: string;
}

/** `wfstore conformance --store planted.ts` with the bug `planted` and these arguments. */
export async function conformance(planted: string, args: readonly string[]): Promise<Ran> {
  const reportDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-author-'));
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'wfstore.js'), 'conformance', '--store', PLANTED, '--report-dir', reportDir, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WFSTORE_TEST_PLANTED: planted } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const read = (file: string) => fs.readFile(path.join(reportDir, file), 'utf8');
    const summary = JSON.parse(await read('summary.json')) as ConformanceSummary;
    return { code, output, summary, junit: await read('junit.xml') };
  } catch (error) {
    throw new Error(`no report (exit ${code}):\n${output}`, { cause: error });
  } finally {
    await fs.rm(reportDir, { recursive: true, force: true });
  }
}

/** The cells of the scenarios whose name matches, on the one column. */
export function cellsOf(summary: ConformanceSummary, name: RegExp): Cell[] {
  return summary.requirements
    .flatMap((r) => r.scenarios)
    .filter((s) => name.test(s.name))
    .map((s) => Object.values(s.cells)[0]!);
}

describe('an assertion that failed says which value is the store’s', () => {
  it('"0 !== 10000" becomes "the store returned 0, the contract expects 10000", in JUnit too', {
    timeout: 180_000,
  }, async () => {
    const ran = await conformance('updated-at', ['--name', 'updated_at never goes below the previous']);
    assert.equal(ran.code, 1, ran.output);
    const [cell] = cellsOf(ran.summary, /updated_at never goes below/);
    assert.equal(cell?.status, 'failed', ran.output);
    assert.match(cell!.message ?? '', /^the store returned 0, the contract expects 10000$/m);
    const failure = /<failure message="([^"]*)"/.exec(ran.junit)?.[1] ?? '';
    assert.match(failure, /the store returned 0, the contract expects 10000/);
    assert.doesNotMatch(failure, /^Expected values to be/);
  });
});

describe('progress lines', () => {
  it('an expected failure is counted as expected, not printed as "✖ failed"', { timeout: 180_000 }, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-author-expect-'));
    const file = path.join(dir, 'expect.json');
    const scenario = 'updated_at never goes below the previous updated_at, even when the clock goes back';
    const entry = { backend: 'planted-updated-at', scenario, reason: 'updated_at not kept yet' };
    await fs.writeFile(file, JSON.stringify({ version: 1, expected: [entry] }));
    try {
      const ran = await conformance('updated-at', ['--name', 'updated_at never goes below', '--expect', file]);
      assert.equal(ran.code, 0, ran.output);
      assert.doesNotMatch(ran.output, /✖ failed/);
      assert.match(ran.output, /\[planted-updated-at\] finished: 1\/1 scenarios, 1 expected to fail/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the time limit of a property scenario', () => {
  it('grows with the runs: 2000 runs get more than the 2 minutes 200 runs get', () => {
    assert.equal(propertyTimeLimit(200), 200_000);
    assert.ok(propertyTimeLimit(2000) >= 2000 * 1000);
    assert.equal(propertyTimeLimit(5), 120_000);
  });

  it('--property-timeout sets it, and a property past it says how to raise it', { timeout: 180_000 }, async () => {
    const ran = await conformance('none', [
      ...['--name', 'All backends agree', '--property-runs', '50', '--property-timeout', '1'],
    ]);
    assert.equal(ran.code, 1, ran.output);
    const [cell] = cellsOf(ran.summary, /All backends agree/);
    assert.match(cell?.message ?? '', /did not finish within its time limit of 1 ms/);
    assert.match(cell?.message ?? '', /--property-timeout <ms>/);
    assert.match(cell?.message ?? '', /--property-runs <n>/);
    assert.doesNotMatch(cell?.message ?? '', /function timed out/);
  });
});

describe('an expectations file written from a property failure', () => {
  it('records its seed, and the next run replays it: the expected failure does not flip', {
    timeout: 300_000,
  }, async () => {
    // At 10 runs the planted bug is found on some seeds only (on 6 of the seeds 1 to 40, 12 among them): a
    // random seed would pass most times, and the expected failure turn into "remove this expectation".
    const args = ['--name', 'All backends agree', '--property-runs', '10'];
    const first = await conformance('updated-at', [...args, '--seed', '12']);
    const [failed] = cellsOf(first.summary, /All backends agree/);
    assert.equal(failed?.status, 'failed', first.output);
    const file = expectationsFrom(first.summary, { reason: 'updated_at not kept yet' });
    assert.equal(file.expected.length, 1);
    assert.equal(file.expected[0]!.seed, 12, 'the entry keeps the seed the failure was found with');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-author-seed-'));
    try {
      await fs.writeFile(path.join(dir, 'expect.json'), JSON.stringify(file));
      const second = await conformance('updated-at', [...args, '--expect', path.join(dir, 'expect.json')]);
      assert.equal(second.code, 0, second.output);
      const [again] = cellsOf(second.summary, /All backends agree/);
      assert.equal(again?.seed, 12, 'the run replayed the recorded seed');
      assert.equal(again?.expected, 'updated_at not kept yet');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a paging bug', () => {
  it('fails the update-event reader scenario with a message about paging, not about the update', {
    timeout: 180_000,
  }, async () => {
    const ran = await conformance('paging', ['--name', 'A reader never sees a status without its event while']);
    assert.equal(ran.code, 1, ran.output);
    const [cell] = cellsOf(ran.summary, /A reader never sees a status without its event while/);
    assert.equal(cell?.status, 'failed', ran.output);
    assert.match(cell!.message ?? '', /^listWorkflowEvents pages disagree with the log in \d+ of \d+ reads \(WF-SEQ-2/);
    assert.match(cell!.message ?? '', /after_sequence: \d+, limit: 1 \}\) returned event \d+, not \d+/);
    assert.doesNotMatch(cell!.message ?? '', /saw a status without its event/);
  });
});

describe('a store that commits a status and its event in two transactions, one call at a time', () => {
  it('passes the reader of the same store, and fails the reader on a second store over the same data', {
    timeout: 300_000,
  }, async () => {
    const ran = await conformance('two-commits', ['--tags', '@REQ-CONTRACT-UPDATE-EVENT']);
    assert.equal(ran.code, 1, ran.output);
    const [same] = cellsOf(ran.summary, /A reader never sees a status without its event while/);
    const [second] = cellsOf(ran.summary, /A reader on a second store over the same data/);
    assert.equal(same?.status, 'passed', 'no reader of the store itself overlaps an update');
    assert.equal(second?.status, 'failed', ran.output);
    assert.match(second!.message ?? '', /reads saw a status without its event \(WF-UPD-4\)/);
    const others = ran.summary.requirements.flatMap((r) => r.scenarios).filter((s) => !/second store/.test(s.name));
    for (const s of others) assert.notEqual(Object.values(s.cells)[0]!.status, 'failed', s.name);
  });

  it('the same store committing both at once passes it', { timeout: 300_000 }, async () => {
    const ran = await conformance('none', ['--name', 'A reader on a second store over the same data']);
    assert.equal(ran.code, 0, ran.output);
    assert.equal(cellsOf(ran.summary, /second store/)[0]?.status, 'passed');
  });
});

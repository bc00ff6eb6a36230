// The CI files run here, step by step (run-workflow.ts): this project's .github/workflows/ci.yml on a copy of
// the checkout, and the two workflows docs/conformance.md gives a third party, in an empty project that installs
// the packed tarball and validates the store written from docs/contract.md alone. PostgreSQL: the provisioning chain's.
// Long: `npm ci` of the whole project (native builds included), every job of ci.yml, `npm pack`.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { provisionPostgres } from '../../src/testing/postgres/provision.js';
import { copyThirdPartyStore, packTarball, projectWithTarball } from '../support/pack.js';
import { checkoutCopy, type JobResult, jobsOf, runJobs } from './run-workflow.js';

const BACKENDS = ['filesystem', 'sqlite', 'postgres', 'memory'];
// On GitHub Actions the workflow runs for real; running it again inside its own `npm test` would prove nothing.
const skip = process.env.GITHUB_ACTIONS === 'true' ? 'on GitHub Actions, where the workflow itself runs' : false;
const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(0)} s`;
const failures = (results: readonly JobResult[]) =>
  results.flatMap((j) => j.steps.filter((s) => s.status === 'failed').map((s) => `${j.name} › ${s.name}\n${s.output}`));

describe('.github/workflows/ci.yml, run here', { timeout: 3_600_000, skip }, () => {
  let root: string;
  let workspace: string;
  let results: JobResult[];

  before(async () => {
    const started = Date.now();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-ci-'));
    workspace = path.join(root, 'checkout');
    await checkoutCopy(PACKAGE_ROOT, workspace);
    const server = await provisionPostgres({ log: (line) => console.log(line) });
    try {
      const text = await fs.readFile(path.join(PACKAGE_ROOT, '.github/workflows/ci.yml'), 'utf8');
      const jobs = jobsOf(text, 'github', { workspace, pgMajor: server.serverVersion.split('.')[0] });
      results = await runJobs(jobs, 'github', {
        workspace,
        artifacts: path.join(root, 'artifacts'),
        postgresUrl: server.connectionString,
        replace: [
          {
            command: 'npm test',
            with: 'npm test -- test/testing/postgres/provision.test.ts test/testing/postgres/majors.test.ts',
            why: 'the whole suite includes this test, and takes minutes; two files show that npm test gets the service',
          },
        ],
      });
    } finally {
      await server.stop();
    }
    console.log(`ci.yml ran in ${seconds(started)}`);
  });
  after(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('runs each job, one combination per matrix (this Node, one PostgreSQL) but every backend', () => {
    const node = process.versions.node.split('.')[0];
    assert.deepEqual(
      results.map((r) => r.id),
      ['checks', ...BACKENDS.map(() => 'conformance'), 'conformance-pgbouncer', 'report', 'postgres-majors', 'test'],
    );
    assert.deepEqual(
      results.filter((r) => r.id === 'conformance').map((r) => r.name),
      BACKENDS.map((b) => `Conformance (${b})`),
    );
    assert.match(results.at(-1)!.name, new RegExp(`^npm test \\(Node ${node}, PostgreSQL \\d+\\)$`));
  });

  it('every job passes', () => {
    assert.deepEqual(failures(results), []);
    assert.ok(results.every((r) => r.status === 'passed'));
  });

  it(
    'the shards, downloaded as artifacts, merge into one report ' + 'of the four backends and the pooler column',
    async () => {
      const merged = path.join(workspace, 'reports', 'merged');
      const summary = JSON.parse(await fs.readFile(path.join(merged, 'summary.json'), 'utf8')) as {
        columns: { name: string }[];
        failed: number;
        passed: number;
      };
      assert.deepEqual(summary.columns.map((c) => c.name).sort(), [...BACKENDS, 'postgres-pgbouncer'].sort());
      assert.equal(summary.failed, 0);
      const junit = await fs.readFile(path.join(merged, 'junit.xml'), 'utf8');
      assert.equal(junit.match(/<testsuite /g)?.length, 5);
      const artifacts = await fs.readdir(path.join(root, 'artifacts'));
      for (const name of [
        ...BACKENDS.map((b) => `conformance-${b}`),
        'conformance-postgres-pgbouncer',
        'conformance-report',
      ]) {
        assert.ok(artifacts.includes(name), `artifact ${name} uploaded`);
      }
    },
  );

  it('each shard writes the GitHub job summary', () => {
    for (const shard of results.filter((r) => r.id === 'conformance' || r.id === 'conformance-pgbouncer')) {
      assert.match(shard.summary, /## wfstore conformance: /, shard.name);
    }
  });
});

/** The YAML blocks of docs/conformance.md, by the file each names in its first line. */
async function documentedWorkflows(): Promise<{ github: string; gitlab: string }> {
  const markdown = await fs.readFile(path.join(PACKAGE_ROOT, 'docs', 'conformance.md'), 'utf8');
  const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const github = blocks.find((b) => b.startsWith('# .github/workflows/'));
  const gitlab = blocks.find((b) => b.startsWith('# .gitlab-ci.yml'));
  assert.ok(github !== undefined && gitlab !== undefined, 'docs/conformance.md has a GitHub and a GitLab workflow');
  return { github, gitlab };
}

describe('docs/conformance.md, as a third party runs it', { timeout: 1_800_000, skip }, () => {
  let work: string;
  let project: string;
  let workflows: { github: string; gitlab: string };
  const expectations = (expected: unknown[]) =>
    fs.writeFile(path.join(project, 'conformance.expect.json'), JSON.stringify({ version: 1, expected }));
  const run = async (kind: 'github' | 'gitlab', artifacts: string) => {
    const started = Date.now();
    const jobs = jobsOf(workflows[kind], kind, { workspace: project });
    const env = { STORE_INITIALIZER: './third-party/conformance.ts' };
    const results = await runJobs(jobs, kind, { workspace: project, artifacts: path.join(work, artifacts), env });
    console.log(`docs/conformance.md, ${kind} (${artifacts}): ${seconds(started)}`);
    return results;
  };

  before(async () => {
    workflows = await documentedWorkflows();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-ci-doc-'));
    project = path.join(work, 'project');
    await projectWithTarball(project, packTarball(work));
    await copyThirdPartyStore(path.join(project, 'third-party'));
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('GitHub Actions: passes with the expectations file, writes the summary, uploads the report', async () => {
    await expectations([]);
    const [job, ...others] = await run('github', 'github-artifacts');
    assert.equal(others.length, 0);
    assert.deepEqual(failures([job!]), []);
    assert.match(job!.steps.map((s) => s.output).join('\n'), /conformance: \d+ passed, 0 failed/);
    assert.match(job!.summary, /\| third-party \|/);
    await fs.access(path.join(work, 'github-artifacts', 'conformance-report', 'index.html'));
  });

  it('GitHub Actions: an expected failure that now passes fails the step, saying so', async () => {
    await expectations([{ backend: 'third-party', rule: 'WF-SEQ-1', reason: 'sequences not yet from 1' }]);
    const [job] = await run('github', 'github-artifacts-stale');
    assert.equal(job!.status, 'failed');
    const failed = job!.steps.find((s) => s.status === 'failed')!;
    assert.match(failed.name, /wfstore conformance/);
    assert.match(failed.output, /WF-SEQ-1.*remove this expectation/);
    await fs.access(path.join(work, 'github-artifacts-stale', 'conformance-report', 'index.html'));
  });

  it('GitLab CI: passes and leaves the JUnit report GitLab reads, a test suite for the store', async () => {
    await expectations([]);
    const [job] = await run('gitlab', 'gitlab-artifacts');
    assert.deepEqual(failures([job!]), []);
    const junit = await fs.readFile(
      path.join(work, 'gitlab-artifacts', 'conformance', 'reports/conformance/junit.xml'),
      'utf8',
    );
    assert.match(junit, /<testsuite name="third-party" tests="\d+" failures="0"/);
  });
});

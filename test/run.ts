// `npm test` and `npm run test:slow`: provisions PostgreSQL once for all test files (they run as separate
// processes, several at a time), then runs node's test runner over them.
//
//   tsx test/run.ts                 every *.test.ts under test/ but the slow ones
//   tsx test/run.ts --slow          every *.slow.test.ts: crash and kill campaigns, the packed package,
//                                   the CI workflows, the mutant runs
//   tsx test/run.ts <file|dir>...   those files; a directory gives its tests (its slow ones with --slow)
//
// WFSTORE_BACKENDS=sqlite,postgres narrows the backends of the suites that run on each (default: every
// backend of src/backends/registry.ts); WFSTORE_TEST_CONCURRENCY sets how many files run at once.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, backendNamed } from '../src/backends/registry.js';
import { urlFromEnvironment } from '../src/testing/postgres/choose.js';
import { type ProvisionedPostgres, provisionPostgres } from '../src/testing/postgres/provision.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SLOW = '.slow.test.ts';

/** The test files under `dir`, in path order: the slow ones or the others. */
function discover(dir: string, slow: boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...discover(full, slow));
    else if (entry.name.endsWith('.test.ts') && entry.name.endsWith(SLOW) === slow) found.push(full);
  }
  return found.sort();
}

const args = process.argv.slice(2);
const slow = args.includes('--slow');
const given = args.filter((a) => a !== '--slow');
// Relative to the repository, longest first by the last run's durations (files never timed first): with
// several files at a time, a long file started last would end last.
const durations = path.join(root, 'reports', 'test-durations.json');
const took = (existsSync(durations) ? JSON.parse(readFileSync(durations, 'utf8')) : {}) as Record<string, number>;
const weight = (file: string) => took[file] ?? Number.POSITIVE_INFINITY;
const files = (given.length === 0 ? [path.join(root, 'test')] : given)
  .flatMap((arg) => (statSync(arg).isDirectory() ? discover(arg, slow) : [arg]))
  .map((file) => path.relative(root, path.resolve(file)))
  .sort((a, b) => (weight(a) === weight(b) ? a.localeCompare(b) : weight(b) > weight(a) ? 1 : -1));
if (files.length === 0) {
  console.error(`test/run.ts: no test files in ${given.join(' ') || 'test/'}`);
  process.exit(1);
}

const backends = (process.env.WFSTORE_BACKENDS ?? BACKEND_NAMES.join(','))
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
// A backend that keeps its data on a server (no location in a directory) needs the shared PostgreSQL.
const needsServer = backends.some((b) => backendNamed(b).locationIn(os.tmpdir()) === undefined);
const env: NodeJS.ProcessEnv = { ...process.env };
let server: ProvisionedPostgres | undefined;
if (needsServer) {
  server = await provisionPostgres({ log: (line) => console.log(line) });
  env.WFSTORE_PG_URL = server.connectionString;
} else if (urlFromEnvironment(process.env) === undefined) {
  console.log(
    'postgres: no backend of WFSTORE_BACKENDS needs it; PostgreSQL tests that need a server provision their own',
  );
}

const stopServer = async () => {
  const s = server;
  server = undefined;
  await s?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopServer().finally(() => process.exit(130)));
}

// Most files wait on processes, disks and the server more than they compute: one more file than cores
// keeps both cores busy without making the timing-sensitive ones (readers in other processes, timeouts)
// wait on the CPU.
const concurrency = Number(process.env.WFSTORE_TEST_CONCURRENCY ?? os.availableParallelism() + 1);
const reporter = process.env.WFSTORE_TEST_REPORTER ?? 'spec';
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/support/durations-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { cwd: root, env, stdio: 'inherit' },
);
const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await stopServer();
process.exit(code);

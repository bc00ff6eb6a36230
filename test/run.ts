// `npm test`: provisions PostgreSQL once for all test files (they run as separate processes), then runs
// node's test runner over them. Usage: tsx test/run.ts [test files...]   (default: test/*/*.test.ts)

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { urlFromEnvironment } from '../src/testing/postgres/choose.js';
import { provisionPostgres, type ProvisionedPostgres } from '../src/testing/postgres/provision.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const files = process.argv.slice(2);
if (files.length === 0) {
  for (const dir of readdirSync(path.join(root, 'test'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(path.join(root, 'test', dir.name)).sort()) {
      if (file.endsWith('.test.ts')) files.push(path.join('test', dir.name, file));
    }
  }
}

const backends = (process.env.WFSTORE_BACKENDS ?? 'filesystem,sqlite,postgres,memory').split(',').map((b) => b.trim());
const env: NodeJS.ProcessEnv = { ...process.env };
let server: ProvisionedPostgres | undefined;
if (backends.includes('postgres')) {
  server = await provisionPostgres({ log: (line) => console.log(line) });
  env.WFSTORE_PG_URL = server.connectionString;
} else if (urlFromEnvironment(process.env) === undefined) {
  console.log('postgres: not among WFSTORE_BACKENDS; PostgreSQL tests that need a server provision their own');
}

const stopServer = async () => {
  const s = server;
  server = undefined;
  await s?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopServer().finally(() => process.exit(130)));
}

const reporter = process.env.WFSTORE_TEST_REPORTER ?? 'spec';
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files], {
  cwd: root,
  env,
  stdio: 'inherit',
});
const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await stopServer();
process.exit(code);

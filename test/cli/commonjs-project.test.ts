// A .ts initializer in the project `npm init -y` makes ("type": "commonjs"): written with ESM syntax, it loads
// in every command that takes --store, in the wfstore process and in the cucumber processes it starts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConformanceSummary } from '../../src/report/summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'wfstore.js');
const SQLITE = pathToFileURL(path.join(ROOT, 'src', 'backends', 'sqlite', 'index.js')).href;

// ESM syntax, TypeScript types and a top-level await, in the initializer and in the file it imports as
// TypeScript under nodenext writes it (./store.js for store.ts), which imports a module with a top-level await
// itself (the SQLite backend loading its driver), as wfstore/sqlite does. Its stores are SQLite files, which
// other processes open by their path.
const INIT = `import { sqliteFile, openSqliteFile } from './store.js';

const version: '1.2' = await Promise.resolve('1.2' as const);

export default {
  name: 'commonjs-project',
  contract: version,
  supports: {
    multiProcess: { locate: (store: object) => sqliteFile(store), open: (file: string) => openSqliteFile(file) },
  },
  createStore: () => openSqliteFile(),
};
`;
const STORE = `import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '${SQLITE}';

const here = path.dirname(fileURLToPath(import.meta.url));

let count = 0;
const files = new WeakMap<object, string>();

export const sqliteFile = (store: object): string => files.get(store)!;

export async function openSqliteFile(file = path.join(here, \`store-\${process.pid}-\${++count}.db\`)) {
  const store = await createSqliteStore({ filename: file });
  files.set(store, file);
  return store;
}
`;

describe('a .ts initializer in a package.json "type": "commonjs" project', () => {
  let project: string;
  const wfstore = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: 'utf8', timeout: 180_000 });

  before(async () => {
    project = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-commonjs-'));
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'p', type: 'commonjs' }));
    await fs.writeFile(path.join(project, 'init.ts'), INIT);
    await fs.writeFile(path.join(project, 'store.ts'), STORE);
  });
  after(async () => {
    if (project) await fs.rm(project, { recursive: true, force: true });
  });

  it('wfstore conformance --store ./init.ts runs its scenarios, those of several processes too', async () => {
    const reports = path.join(project, 'reports');
    const { status, stdout, stderr } = wfstore(
      'conformance',
      '--store',
      './init.ts',
      '--tags',
      '@WF-SEQ-1',
      '--report-dir',
      reports,
    );
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /conformance: [1-9]\d* passed, 0 failed/);
    // Each appending process loaded the initializer to open the store.
    const summary = JSON.parse(await fs.readFile(path.join(reports, 'summary.json'), 'utf8')) as ConformanceSummary;
    const processes = summary.requirements.flatMap((r) => r.scenarios).find((s) => /4 processes/.test(s.name));
    assert.equal(processes?.cells['commonjs-project']?.status, 'passed');
  });

  it('wfstore runs store:<location> --store ./init.ts opens the store', () => {
    const { status, stdout, stderr } = wfstore('runs', 'store:empty.db', '--store', './init.ts', '--json');
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), []);
  });
});

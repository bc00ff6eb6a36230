// The published types stand alone: a strict TypeScript project (`skipLibCheck` off, so the package's own
// .d.ts are checked too) that installed the packed wfstore and only the driver its backend uses — no
// @types/pg, no @types/better-sqlite3, no @types/fs-ext, no @types/node — compiles code using that backend's
// entry point and IWorkflowStore (docs/using-a-store.md, "TypeScript"). Two more projects: one whose own code
// makes the pg Pool it hands in (its code imports pg, so it installs @types/pg), and the harness user's,
// whose types need @types/node.
//
// The tarball is installed once, into a base project each configuration copies before adding its packages.
// Drivers are installed without their install scripts: types need no compiled module, and fs-ext and
// better-sqlite3 would build one. Each project is compiled by this repository's TypeScript and by the latest
// (installed apart, once): from TypeScript 6 on, no @types package is read unless `types` names it. Where the
// compiler lives changes nothing of what it reads: the project's files and node_modules.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { packTarball, projectEnv, projectWithTarball } from '../support/pack.js';

const OUR_TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const COMPILER_OPTIONS = { target: 'es2022', module: 'nodenext', strict: true, skipLibCheck: false, noEmit: true };

// What an engine does with any store, typed by the contract alone.
const USE = `import { isWorkflowStoreError, type IWorkflowStore, type JsonValue, type WorkflowRun } from 'wfstore';

export async function use(store: IWorkflowStore): Promise<Map<string, JsonValue>> {
  const run: WorkflowRun = await store.createWorkflowRun({ workflow_name: 'nightly', user_message: 'rebuild' });
  await store.updateWorkflowRun(run.id, { status: 'running' }, { expected_status: 'pending' });
  await store.createWorkflowEvent({
    run_id: run.id,
    event_type: 'node_completed',
    payload: { node_id: 'fetch', output: { rows: 42 } },
  });
  try {
    await store.updateWorkflowRun(run.id, { status: 'pending' });
  } catch (error) {
    if (isWorkflowStoreError(error, 'INVALID_TRANSITION')) console.log(error.code, error.message);
  }
  const outputs = await store.getCompletedDagNodeOutputs(run.id);
  await store.close();
  return outputs;
}
`;

interface Configuration {
  /** What the project installs besides the tarball. */
  packages: string[];
  /** Types packages those depend on (@types/pg on @types/node). */
  brought?: string[];
  /** The tsconfig's `types`, if any. */
  types?: string[];
  /** Its code, beside use.ts. */
  file: string;
}

const CONFIGURATIONS: Record<string, Configuration> = {
  'memory (no driver)': {
    packages: [],
    file: `import { createMemoryStore, MemoryDatabase, type MemoryStoreOptions } from 'wfstore/memory';
import { use } from './use.js';

let next = 0;
const generateId = () => \`run-\${next++}\`;
const options: MemoryStoreOptions = { database: new MemoryDatabase(), now: () => new Date(), generateId };
await use(await createMemoryStore(options));
`,
  },
  'SQLite (better-sqlite3, no @types/better-sqlite3)': {
    packages: ['better-sqlite3@12'],
    file: `import { createSqliteStore, verifySqliteStore } from 'wfstore/sqlite';
import { use } from './use.js';

await use(await createSqliteStore({ filename: 'data/wf.db', synchronous: 'normal', busyTimeoutMs: 2000 }));
console.log(await verifySqliteStore({ filename: 'data/wf.db' }, { repair: false }));
`,
  },
  'PostgreSQL (pg, no @types/pg)': {
    packages: ['pg@8'],
    file: `import { createPostgresStore, type PostgresStoreOptions } from 'wfstore/postgres';
import type { IWorkflowStore } from 'wfstore';
import { use } from './use.js';

const options: PostgresStoreOptions = {
  connectionString: 'postgresql://postgres@127.0.0.1:5432/app',
  schema: 'workflows',
  maxConnections: 4,
  statementTimeoutMs: 5000,
  statements: 'unnamed',
};
const store: IWorkflowStore = await createPostgresStore(options);
await use(store);
`,
  },
  'PostgreSQL with a pool of your own (pg and @types/pg: your code imports pg)': {
    packages: ['pg@8', '@types/pg@8'],
    brought: ['@types/node'],
    file: `import pg from 'pg';
import { createPostgresStore } from 'wfstore/postgres';
import { use } from './use.js';

const pool = new pg.Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/app', max: 4 });
await use(await createPostgresStore({ pool, schema: 'workflows' }));
await pool.end();
// @ts-expect-error a Client is no pool: connect() gives no connection to release
await createPostgresStore({ pool: new pg.Client() });
`,
  },
  'filesystem (fs-ext)': {
    packages: ['fs-ext@2'],
    file: `import { createFilesystemStore, type FilesystemStoreOptions } from 'wfstore/filesystem';
import { use } from './use.js';

const options: FilesystemStoreOptions = { artifactsDir: 'data/runs', fsync: false };
await use(await createFilesystemStore(options));
`,
  },
  'the harness (@types/node)': {
    packages: ['@types/node@20'],
    types: ['node'],
    file: `import { describe, it, before, after } from 'node:test';
import { describeConformance, type StoreTestInitializer } from 'wfstore/harness';
import { createMemoryStore } from 'wfstore/memory';

const initializer: StoreTestInitializer = { name: 'mine', contract: '1.2', createStore: (o) => createMemoryStore(o) };
describeConformance({ test: { describe, it, before, after }, initializer, propertyRuns: 30 });
`,
  },
};

// Types packages a configuration does not install must not be there (brought by a dependency, say).
const TYPES_PACKAGES = ['@types/pg', '@types/better-sqlite3', '@types/fs-ext', '@types/node'];

describe('the packed types compile in a strict project without drivers’ types', { timeout: 1_800_000 }, () => {
  let work: string;
  let base: string;
  const compilers: Record<string, string> = { [`TypeScript ${ts.version}`]: OUR_TSC };

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-types-'));
    base = path.join(work, 'base');
    await projectWithTarball(base, packTarball(work));
    const latest = path.join(work, 'compiler');
    await fs.mkdir(latest);
    await fs.writeFile(path.join(latest, 'package.json'), JSON.stringify({ name: 'compiler', private: true }));
    npmInstall(latest, ['typescript@latest']);
    const tsc = path.join(latest, 'node_modules', 'typescript', 'bin', 'tsc');
    const version = spawnSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).stdout.trim();
    compilers[version.replace('Version', 'TypeScript')] = tsc;
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  for (const [name, { packages, brought = [], types, file }] of Object.entries(CONFIGURATIONS)) {
    it(name, async () => {
      const project = path.join(work, name.replace(/\W+/g, '-'));
      await fs.cp(base, project, { recursive: true, verbatimSymlinks: true });
      if (packages.length > 0) npmInstall(project, ['--ignore-scripts', ...packages]);
      const names = [...packages.map((p) => p.replace(/(.)@.*$/, '$1')), ...brought];
      for (const types of TYPES_PACKAGES.filter((t) => !names.includes(t))) {
        assert.ok(!existsSync(path.join(project, 'node_modules', types)), `${types} is not installed`);
      }
      const tsconfig = { compilerOptions: { ...COMPILER_OPTIONS, ...(types && { types }) } };
      await fs.writeFile(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      await fs.writeFile(path.join(project, 'use.ts'), USE);
      await fs.writeFile(path.join(project, 'consumer.ts'), file);
      for (const [compiler, tsc] of Object.entries(compilers)) {
        const run = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: project, encoding: 'utf8', timeout: 300_000 });
        assert.equal(run.status, 0, `${compiler}:\n${run.stdout}${run.stderr}`);
      }
    });
  }
});

function npmInstall(project: string, args: string[]): void {
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...args], {
    cwd: project,
    encoding: 'utf8',
    timeout: 600_000,
    env: projectEnv(),
  });
  assert.equal(install.status, 0, install.stderr);
}

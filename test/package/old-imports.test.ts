// 0.1.0's imports from the root module still load and work: the backends' factories and MemoryDatabase, each
// forwarded to its entry point (wfstore/<name>), loading it only when called, with one DeprecationWarning
// (code WFSTORE_ROOT_FACTORY) per name naming the new import. The names are those src/index.ts exported at
// 0.1.0 (git log -S createSqliteStore -- src/index.ts). Each case runs in its own process: the warnings are
// once per process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

const FACTORIES: [string, string][] = [
  ['createFilesystemStore', 'wfstore/filesystem'],
  ['createSqliteStore', 'wfstore/sqlite'],
  ['createPostgresStore', 'wfstore/postgres'],
  ['createMemoryStore', 'wfstore/memory'],
];

// A loader hook that makes the drivers unresolvable, as in a project that installed none.
const HIDE_DRIVERS =
  'data:text/javascript,export async function resolve(s, c, next) { ' +
  `if (/^(better-sqlite3|pg|fs-ext)$/.test(s)) { const e = new Error("Cannot find package '" + s + "'"); ` +
  `e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }`;

/** Runs `code` (an ES module importing ./src/index.ts) in a new process; its stdout parsed as JSON. */
function run(code: string, { hideDrivers = false } = {}): unknown {
  const hooks = hideDrivers
    ? [
        '--import',
        'data:text/javascript,' +
          encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(HIDE_DRIVERS)});`),
      ]
    : [];
  const warnings =
    'const warnings = []; ' +
    "process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: w.message }));";
  const child = spawnSync(
    process.execPath,
    [...hooks, '--import', 'tsx', '--input-type=module', '-e', warnings + code],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

describe("0.1.0's root imports", () => {
  it('every factory 0.1.0 exported is a function of the root module, and importing it loads no backend', () => {
    const names = FACTORIES.map(([name]) => name);
    const found = run(
      `
      const root = await import('./src/index.ts');
      await new Promise((r) => setTimeout(r, 20));
      console.log(JSON.stringify({
        kinds: ${JSON.stringify(names)}.map((n) => [n, typeof root[n], root[n].name]),
        memoryDatabase: typeof root.MemoryDatabase,
        warnings,
      }));`,
      { hideDrivers: true },
    );
    assert.deepEqual(found, {
      kinds: names.map((n) => [n, 'function', n]),
      memoryDatabase: 'function',
      warnings: [],
    });
  });

  it('createMemoryStore and MemoryDatabase from the root module work as 0.1.0 used them, each warning once', () => {
    const found = run(`
      const { createMemoryStore, MemoryDatabase } = await import('./src/index.ts');
      const database = new MemoryDatabase();
      new MemoryDatabase();
      const first = await createMemoryStore({ database });
      await first.createWorkflowRun({ id: 'r1', workflow_name: 'w', user_message: 'hi' });
      await first.close();
      const again = await createMemoryStore({ database });
      const run = await again.getWorkflowRun('r1');
      await again.close();
      const bare = await createMemoryStore();
      await bare.close();
      await new Promise((r) => setTimeout(r, 20));
      console.log(JSON.stringify({ id: run?.id, warnings }));`);
    assert.deepEqual(found, {
      id: 'r1',
      warnings: [
        {
          name: 'DeprecationWarning',
          code: 'WFSTORE_ROOT_FACTORY',
          message:
            "import { MemoryDatabase } from 'wfstore' is deprecated and will be removed in 1.0.0: " +
            "import { MemoryDatabase } from 'wfstore/memory' instead",
        },
        {
          name: 'DeprecationWarning',
          code: 'WFSTORE_ROOT_FACTORY',
          message:
            "import { createMemoryStore } from 'wfstore' is deprecated and will be removed in 1.0.0: " +
            "import { createMemoryStore } from 'wfstore/memory' instead",
        },
      ],
    });
  });

  for (const [name, entry] of FACTORIES.filter(([, e]) => e !== 'wfstore/memory')) {
    it(`${name} from the root module loads ${entry} when called: its missing driver is named then`, () => {
      const found = run(
        `
        const root = await import('./src/index.ts');
        const error = await root.${name}({}).then(() => undefined, (e) => e.message);
        await new Promise((r) => setTimeout(r, 20));
        console.log(JSON.stringify({ error, warnings: warnings.map((w) => w.code + ' ' + w.message) }));`,
        { hideDrivers: true },
      );
      const { error, warnings } = found as { error: string; warnings: string[] };
      assert.match(error, new RegExp(`^${entry} needs the package [a-z0-9-]+, which is not installed: npm install `));
      assert.deepEqual(warnings, [
        `WFSTORE_ROOT_FACTORY import { ${name} } from 'wfstore' is deprecated and will be removed in 1.0.0: ` +
          `import { ${name} } from '${entry}' instead`,
      ]);
    });
  }

  it('the forwarded createSqliteStore opens a store with its driver installed', () => {
    const found = run(`
      const fs = await import('node:fs/promises');
      const os = await import('node:os');
      const path = await import('node:path');
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-old-import-'));
      try {
        const { createSqliteStore } = await import('./src/index.ts');
        const store = await createSqliteStore({ filename: path.join(dir, 'w.db') });
        await store.createWorkflowRun({ id: 'r1', workflow_name: 'w', user_message: 'hi' });
        const run = await store.getWorkflowRun('r1');
        await store.close();
        console.log(JSON.stringify({ status: run?.status }));
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }`);
    assert.deepEqual(found, { status: 'pending' });
  });
});

// The published path: npm pack, install the tarball into an empty project (nothing else: no driver), and
// use it as each kind of user does — the harness user (`npx wfstore conformance --store`, and
// describeConformance from node:test and from vitest), the store author whose errors come from another
// copy of wfstore, and the store user who adds one driver (`wfstore/sqlite` with better-sqlite3).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { copyThirdPartyStore, packTarball, projectEnv, projectWithTarball } from '../support/pack.js';

const CORRECT = `import { createMemoryStore } from 'wfstore/memory';

/** @type {import('wfstore/harness').StoreTestInitializer} */
export default {
  name: 'my-store',
  supports: { clock: true, ids: true },
  createStore: (options) => createMemoryStore(options),
};
`;

// Numbers events from 0: one contract rule broken.
const BROKEN = `import { createMemoryStore } from 'wfstore/memory';

const METHODS = ['createWorkflowRun', 'getWorkflowRun', 'listWorkflowRuns', 'updateWorkflowRun',
  'deleteWorkflowRun', 'listWorkflowEvents', 'getCompletedDagNodeOutputs', 'close'];

export default {
  name: 'my-broken-store',
  async createStore(options) {
    const store = await createMemoryStore(options);
    return {
      ...Object.fromEntries(METHODS.map((m) => [m, store[m].bind(store)])),
      async createWorkflowEvent(input) {
        const event = await store.createWorkflowEvent(input);
        return { ...event, sequence: event.sequence - 1 };
      },
    };
  },
};
`;

// The reference memory store, but from a second copy of the package.
const SECOND_COPY = `import { createMemoryStore } from './vendor/wfstore/dist/src/backends/memory/index.js';

export default { name: 'second-copy', supports: { clock: true, ids: true }, createStore: (o) => createMemoryStore(o) };
`;

// An initializer in a folder whose package.json says "type": "commonjs" (as `npm init -y` writes it): ESM
// syntax, TypeScript, a top-level await, and a sibling .ts file imported as TypeScript under nodenext writes it.
const COMMONJS_INIT = `import type { StoreTestInitializer } from 'wfstore/harness';
import { createStore } from './store.js';

const contract = await Promise.resolve('1.2' as const);
const initializer: StoreTestInitializer = { name: 'commonjs-ts', contract, createStore };
export default initializer;
`;
const COMMONJS_STORE = `import { createMemoryStore } from 'wfstore/memory';
import type { DeterminismOptions } from 'wfstore';

export const createStore = (options?: DeterminismOptions) => createMemoryStore(options);
`;

// A strict TypeScript consumer of the backends and the harness, with the documented setup (docs/using-a-store.md);
// types.slow.test.ts compiles each backend with its driver alone, no types package.
const CONSUMER: Record<string, string> = {
  'sqlite.ts': `import { createSqliteStore } from 'wfstore/sqlite';
import { isWorkflowStoreError, type IWorkflowStore } from 'wfstore';

const store: IWorkflowStore = await createSqliteStore({ filename: 'data/wf.db' });
const run = await store.createWorkflowRun({ workflow_name: 'w', user_message: '' });
try {
  await store.updateWorkflowRun(run.id, { status: 'pending' });
} catch (error) {
  if (isWorkflowStoreError(error, 'INVALID_TRANSITION')) console.log(error.message);
}
await store.close();
`,
  'postgres.ts': `import { createPostgresStore, type PostgresStoreOptions } from 'wfstore/postgres';

const options: PostgresStoreOptions = { connectionString: 'postgres://localhost/test' };
const store = await createPostgresStore(options);
await store.close();
`,
  'initializer.ts': `import type { StoreTestInitializer } from 'wfstore/harness';
import { createMemoryStore } from 'wfstore/memory';

const initializer: StoreTestInitializer = { name: 'typed', contract: '1.2', createStore: (o) => createMemoryStore(o) };
export default initializer;
`,
};

// The contract suite in the user's own test runner: one file for node:test, one for vitest.
const suite = (runner: string, initializer: string) => `${runner}
import { describeConformance } from 'wfstore/harness';
import initializer from '${initializer}';

describeConformance({ test: { describe, it, before: beforeAll, after: afterAll }, initializer, propertyRuns: 30 });
`;
const NODE_TEST = `import { describe, it, before as beforeAll, after as afterAll } from 'node:test';`;
const VITEST = `import { describe, it, beforeAll, afterAll } from 'vitest';`;

describe('the packed package', { timeout: 1_800_000 }, () => {
  let work: string;
  let project: string;
  let tarball: string;
  const env = projectEnv();
  const inProject = (command: string, args: string[], timeout = 300_000) =>
    spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout, env });
  const npx = (...args: string[]) => inProject('npx', ['--no-install', ...args]);

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-pack-'));
    tarball = packTarball(work);
    project = path.join(work, 'project');
    const installMs = await projectWithTarball(project, tarball);
    console.log(`npm install <tarball> (the harness user's install): ${(installMs / 1000).toFixed(1)} s`);
    await writeProjectFiles(project);
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('holds dist/ (JavaScript and .d.ts), the features, the steps, the contract, and no tests or sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const needed of [
      'package/dist/src/index.js',
      'package/dist/src/index.d.ts',
      'package/dist/src/harness.d.ts',
      'package/dist/src/backends/sqlite/index.js',
      'package/dist/steps/support/world.js',
      'package/features/requirements/1-store-interface.feature',
      'package/docs/contract.md',
      'package/docs/conformance.md',
      'package/cucumber.js',
      'package/bin/wfstore.js',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    }
    const unwanted = files.filter((f) => /^package\/(test|reports|bench|steps|src)\//.test(f));
    assert.deepEqual(unwanted, [], 'no tests, reports, benchmarks or TypeScript sources');
  });

  it('installs no database driver and builds no native module', async () => {
    const { stdout } = inProject('npm', ['ls', '--all', '--parseable', 'better-sqlite3', 'fs-ext', 'pg']);
    assert.equal(stdout.trim(), '', `drivers installed:\n${stdout}`);
    const natives = await nativeAddons(path.join(project, 'node_modules'));
    assert.deepEqual(natives, [], 'no compiled .node file');
  });

  it('npx wfstore conformance --store ./init.mjs passes on a correct store', () => {
    const { status, stdout, stderr } = npx('wfstore', 'conformance', '--store', './init.mjs');
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /conformance: \d+ passed, 0 failed/);
    assert.match(stdout, /my-store/);
  });

  it('and fails, naming the scenarios, on a broken one', () => {
    const { status, stdout } = npx('wfstore', 'conformance', '--store', './broken.mjs');
    assert.equal(status, 1);
    assert.match(stdout, /conformance: \d+ passed, [1-9]\d* failed/);
    assert.match(stdout, /✖ \[my-broken-store\] [^\n]*REQ-CONTRACT-SEQUENCE/); // after the MUST rules it breaks
  });

  it('a store whose errors come from a second copy of wfstore passes: errors are recognised by name and code', () => {
    const { status, stdout, stderr } = npx('wfstore', 'conformance', '--store', './second-copy.mjs');
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /conformance: \d+ passed, 0 failed/);
  });

  it('the store written from docs/contract.md alone passes every MUST rule, amber on its SHOULD rules', () => {
    const { status, stdout, stderr } = npx('wfstore', 'conformance', '--store', './third-party/conformance.ts');
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /conformance: \d+ passed, 0 failed/);
    for (const rule of ['WF-OUT-4', 'WF-ERR-4', 'WF-DET-1']) {
      assert.match(stdout, new RegExp(`▲ \\[third-party\\] ${rule} \\(SHOULD\\)`));
    }
    const strict = npx('wfstore', 'conformance', '--store', './third-party/conformance.ts', '--strict');
    assert.equal(strict.status, 1, 'with --strict the SHOULD rules fail the run');
  });

  it('npx wfstore conformance --store ./cjs/init.ts: TypeScript in a "type": "commonjs" folder loads', () => {
    const { status, stdout, stderr } = npx('wfstore', 'conformance', '--store', './cjs/init.ts', '--tags', '@WF-SEQ-1');
    assert.equal(status, 0, stdout + stderr);
    assert.match(stdout, /conformance: [1-9]\d* passed, 0 failed/);
  });

  it('--backends sqlite without better-sqlite3 installed: one line naming the package, exit 2', () => {
    const { status, stderr } = npx('wfstore', 'conformance', '--backends', 'sqlite');
    assert.equal(status, 2);
    assert.match(stderr, /needs the package better-sqlite3, which is not installed: npm install better-sqlite3@12/);
  });

  it('bare wfstore conformance without drivers: every missing driver named, and the way to test your own store', () => {
    const { status, stderr } = npx('wfstore', 'conformance');
    assert.equal(status, 2, stderr);
    assert.match(stderr, /without --store or --backends, wfstore conformance runs every reference backend/);
    for (const pkg of ['fs-ext', 'better-sqlite3', 'pg']) assert.match(stderr, new RegExp(`npm install ${pkg}`));
    assert.match(stderr, /--store \.\/my-store\.conformance\.mjs/);
  });

  it('describeConformance in node:test passes on a correct store and fails on a broken one', () => {
    const good = inProject(process.execPath, ['--test', 'good.node.test.mjs']);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /# pass [1-9]\d*/);
    const bad = inProject(process.execPath, ['--test', 'broken.node.test.mjs']);
    assert.equal(bad.status, 1, bad.stdout);
    assert.match(bad.stdout, /not ok \d+ - REQ-CONTRACT-SEQUENCE › 100 concurrent appends/);
  });

  it('describeConformance in vitest passes on a correct store and fails on a broken one', () => {
    const install = inProject('npm', ['install', '--no-audit', '--no-fund', '--save-dev', 'vitest@3'], 600_000);
    assert.equal(install.status, 0, install.stderr);
    const good = npx('vitest', 'run', 'good.vitest.test.mjs');
    assert.equal(good.status, 0, good.stdout + good.stderr);
    // Colours stripped all the same: a CI variable the environment sets may bring them back.
    assert.match(stripVTControlCharacters(good.stdout), /Tests\s+\d+ passed/, good.stdout);
    const bad = npx('vitest', 'run', 'broken.vitest.test.mjs');
    const badOutput = stripVTControlCharacters(bad.stdout + bad.stderr);
    assert.equal(bad.status, 1, badOutput);
    assert.match(badOutput, /FAIL .*REQ-CONTRACT-SEQUENCE › 100 concurrent appends/, badOutput);
  });

  it('import "wfstore/sqlite" without the driver: one line naming the package; with it, a store works', () => {
    const code = `import { createSqliteStore } from 'wfstore/sqlite';
      const store = await createSqliteStore({ filename: 'data/wf.db' });
      const run = await store.createWorkflowRun({ workflow_name: 'w', user_message: '' });
      console.log(JSON.stringify(await store.getWorkflowRun(run.id)));
      await store.close();`;
    const missing = inProject(process.execPath, ['--input-type=module', '-e', code]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /wfstore\/sqlite needs the package better-sqlite3, which is not installed/);
    const install = inProject('npm', ['install', '--no-audit', '--no-fund', 'better-sqlite3@12'], 600_000);
    assert.equal(install.status, 0, install.stderr);
    const works = inProject(process.execPath, ['--input-type=module', '-e', code]);
    assert.equal(works.status, 0, works.stderr);
    assert.match(works.stdout, /"status":"pending"/);
  });

  it('a strict TypeScript project compiles with the tsconfig and packages docs/using-a-store.md gives', async () => {
    const { tsconfig, packages } = await typeScriptSection();
    const project = path.join(work, 'consumer');
    await fs.mkdir(project);
    await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
    const run = (command: string, args: string[]) =>
      spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout: 600_000, env: projectEnv() });
    // The tarball and the documented packages, nothing else (no driver: the types need none).
    const install = run('npm', ['install', '--no-audit', '--no-fund', tarball, ...packages]);
    assert.equal(install.status, 0, install.stderr);
    await fs.writeFile(path.join(project, 'tsconfig.json'), tsconfig);
    for (const [file, text] of Object.entries(CONSUMER)) await fs.writeFile(path.join(project, file), text);
    const tsc = run('npx', ['--no-install', 'tsc', '-p', '.']);
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
});

/** From the section "TypeScript" of docs/using-a-store.md: its tsconfig.json and the packages it installs. */
async function typeScriptSection(): Promise<{ tsconfig: string; packages: string[] }> {
  const doc = await fs.readFile(path.join(PACKAGE_ROOT, 'docs', 'using-a-store.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('TypeScript\n'));
  assert.ok(section, 'docs/using-a-store.md has a section "TypeScript"');
  const tsconfig = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  const install = /^npm install --save-dev (.+)$/m.exec(section)?.[1];
  assert.ok(tsconfig && install, 'the section holds a tsconfig.json and an npm install line');
  return { tsconfig, packages: install.trim().split(/\s+/) };
}

async function writeProjectFiles(project: string): Promise<void> {
  const write = (file: string, text: string) => fs.writeFile(path.join(project, file), text);
  await write('init.mjs', CORRECT);
  await write('broken.mjs', BROKEN);
  await write('good.node.test.mjs', suite(NODE_TEST, './init.mjs'));
  await write('broken.node.test.mjs', suite(NODE_TEST, './broken.mjs'));
  await write('good.vitest.test.mjs', suite(VITEST, './init.mjs'));
  await write('broken.vitest.test.mjs', suite(VITEST, './broken.mjs'));
  await copyThirdPartyStore(path.join(project, 'third-party'));
  // A second copy of wfstore (as a store's own dependency would be), whose errors the CLI's copy must
  // recognise by name and code: its classes are not the CLI's.
  const installed = path.join(project, 'node_modules', 'wfstore');
  await fs.cp(installed, path.join(project, 'vendor', 'wfstore'), { recursive: true });
  await write('second-copy.mjs', SECOND_COPY);
  await fs.mkdir(path.join(project, 'cjs'));
  await write('cjs/package.json', JSON.stringify({ name: 'cjs', type: 'commonjs' }));
  await write('cjs/init.ts', COMMONJS_INIT);
  await write('cjs/store.ts', COMMONJS_STORE);
}

/** Compiled native addons (.node files) under a node_modules folder. */
async function nativeAddons(dir: string): Promise<string[]> {
  const entries = (await fs.readdir(dir, { recursive: true })) as string[];
  return entries.filter((f) => f.endsWith('.node'));
}

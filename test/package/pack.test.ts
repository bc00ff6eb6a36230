// The published path: npm pack, install the tarball into an empty project, write an initializer that
// imports the package by name, and run `npx wfstore conformance --store` on a correct and a broken store.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/harness/matrix/conformance.js';

const CORRECT = `import { createMemoryStore } from 'wfstore';

/** @type {import('wfstore/harness').StoreTestInitializer} */
export default {
  name: 'my-store',
  createStore: (options) => createMemoryStore(options),
};
`;

// Numbers events from 0: one contract rule broken.
const BROKEN = `import { createMemoryStore } from 'wfstore';

export default {
  name: 'my-broken-store',
  async createStore(options) {
    const store = await createMemoryStore(options);
    return {
      ...Object.fromEntries(['createWorkflowRun', 'getWorkflowRun', 'listWorkflowRuns', 'updateWorkflowRun', 'deleteWorkflowRun',
        'listWorkflowEvents', 'getCompletedDagNodeOutputs', 'close'].map((m) => [m, store[m].bind(store)])),
      async createWorkflowEvent(input) {
        const event = await store.createWorkflowEvent(input);
        return { ...event, sequence: event.sequence - 1 };
      },
    };
  },
};
`;

// The reference memory store, but from a second copy of the package.
const SECOND_COPY = `import { createMemoryStore } from './vendor/wfstore/dist/src/index.js';

export default { name: 'second-copy', supports: { clock: true, ids: true }, createStore: (o) => createMemoryStore(o) };
`;

describe('the packed package', { timeout: 900_000 }, () => {
  let work: string;
  let tarball: string;
  const npx = (...args: string[]) =>
    spawnSync('npx', ['--no-install', ...args], {
      cwd: path.join(work, 'project'),
      encoding: 'utf8',
      timeout: 300_000,
    });

  before(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-pack-'));
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    tarball = path.join(work, (JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[])[0]!.filename);
    const project = path.join(work, 'project');
    await fs.mkdir(project);
    await fs.writeFile(
      path.join(project, 'package.json'),
      JSON.stringify(
        {
          name: 'my-backend',
          private: true,
          type: 'module',
          allowScripts: { 'better-sqlite3': true, 'fs-ext': true, esbuild: true },
        },
        null,
        2,
      ),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600_000,
    });
    await fs.writeFile(path.join(project, 'init.mjs'), CORRECT);
    await fs.writeFile(path.join(project, 'broken.mjs'), BROKEN);
    // The store written from docs/contract.md alone, importing the package by name.
    await fs.mkdir(path.join(project, 'third-party'));
    for (const file of ['store.ts', 'conformance.ts']) {
      const source = await fs.readFile(path.join(PACKAGE_ROOT, 'test', 'third-party', file), 'utf8');
      const byName = source
        .replaceAll("'../../src/contract/types.js'", "'wfstore'")
        .replaceAll("'../../src/harness/initializer.js'", "'wfstore/harness'");
      await fs.writeFile(path.join(project, 'third-party', file), byName);
    }
    // A second copy of wfstore (as a store's own dependency would be), whose errors the CLI's copy must
    // recognise by name and code: its classes are not the CLI's.
    await fs.cp(path.join(project, 'node_modules', 'wfstore'), path.join(project, 'vendor', 'wfstore'), {
      recursive: true,
    });
    await fs.writeFile(path.join(project, 'second-copy.mjs'), SECOND_COPY);
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  it('holds dist/ (JavaScript and .d.ts), the features and the compiled steps, and no tests or reports', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const needed of [
      'package/dist/src/index.js',
      'package/dist/src/index.d.ts',
      'package/dist/src/harness/index.d.ts',
      'package/dist/steps/support/world.js',
      'package/features/seed/1-store-interface.feature',
      'package/cucumber.js',
      'package/bin/wfstore.js',
    ]) {
      assert.ok(files.includes(needed), `${needed} is in the tarball`);
    }
    assert.deepEqual(
      files.filter((f) => /^package\/(test|reports|bench|steps|src)\//.test(f)),
      [],
      'no tests, reports, benchmarks or TypeScript sources',
    );
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
    assert.match(stdout, /✖ \[my-broken-store\] REQ-CONTRACT-SEQUENCE/);
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
    for (const rule of ['WF-OUT-4', 'WF-ERR-4', 'WF-DET-1'])
      assert.match(stdout, new RegExp(`▲ \\[third-party\\] ${rule} \\(SHOULD\\)`));
    const strict = npx('wfstore', 'conformance', '--store', './third-party/conformance.ts', '--strict');
    assert.equal(strict.status, 1, 'with --strict the SHOULD rules fail the run');
  });
});

// The wfstore command as a user runs it: bin/wfstore.js in a child process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import { BACKEND_NAMES } from '../../src/backends/registry.js';

const WHERE: Record<string, string> = {
  filesystem: 'files under',
  sqlite: 'the SQLite database',
  postgres: 'schema "wfstore_t_',
  memory: 'memory database',
};
const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));
const wfstore = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('wfstore demo', () => {
  for (const backend of BACKEND_NAMES) {
    it(`runs the example workflow on ${backend}: it fails once, resumes, and prints the timeline`, () => {
      const { status, stdout, stderr } = wfstore('demo', '--backend', backend);
      assert.equal(status, 0, stderr);
      assert.match(stdout, /node_failed\s+node_id=transform {2}error="transform: the upstream service timed out"/);
      assert.match(stdout, /workflow_resumed\s+completed=\["fetch","parse"\]/);
      assert.match(stdout, /run \S+ is completed/);
      assert.match(stdout, /fetch ×1, parse ×1, transform ×2/);
      // A late worker refused after its run was resumed elsewhere, having written nothing more (WF-SEQ-4).
      assert.match(
        stdout,
        /worker A refused: workflow run "\S+" is no longer this worker's: another worker claimed it/,
      );
      assert.match(
        stdout,
        /#5 +\S+ +workflow_interrupted +interrupted_at="[^"]+"\n#6 +\S+ +workflow_resumed +completed=\["fetch"\]\n/,
      );
      assert.match(stdout, /is completed; from #5 on every event is worker B's, A's "parse" was never recorded/);
      // The data is where that backend keeps it (--backend memory once ran on PostgreSQL).
      assert.match(stdout, new RegExp(`^workflow .* on ${backend}; data in ${WHERE[backend]}`, 'm'));
    });
  }

  it('refuses an unknown backend with exit status 2 and says which exist', () => {
    const { status, stderr } = wfstore('demo', '--backend', 'mongo');
    assert.equal(status, 2);
    assert.match(stderr, /unknown backend "mongo".*filesystem, sqlite, postgres/);
  });
});

describe('wfstore conformance: usage errors', () => {
  it('an unknown backend: exit 2, naming it', () => {
    const { status, stderr } = wfstore('conformance', '--backends', 'sqlite,oracle');
    assert.equal(status, 2);
    assert.match(stderr, /unknown backend "oracle"/);
  });

  it('a --store module that does not exist: exit 2, naming the path', () => {
    const { status, stderr } = wfstore('conformance', '--store', './nope.init.ts');
    assert.equal(status, 2);
    assert.match(stderr, /--store \.\/nope\.init\.ts: no such file/);
  });

  it('--help documents every option', () => {
    const { stdout } = wfstore('conformance', '--help');
    for (const option of ['--backends', '--store', '--report-dir', '--tags', '--name'])
      assert.ok(stdout.includes(option), option);
  });
});

describe('copy, export, runs, events, outputs on a store opened through its initializer module', () => {
  const FIXTURE = fileURLToPath(new URL('./fixtures/sqlite-files.ts', import.meta.url));

  it('--store <module> opens store:<location> with supports.multiProcess.open', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-cli-store-'));
    try {
      const source = await createSqliteStore({ filename: path.join(dir, 'source.db') });
      await source.createWorkflowRun({ id: 'r1', workflow_name: 'etl', user_message: '' });
      await source.createWorkflowEvent({ run_id: 'r1', event_type: 'workflow_started' });
      await source.close();
      const target = `store:${path.join(dir, 'target.db')}`;
      const copy = wfstore('copy', `sqlite:${path.join(dir, 'source.db')}`, target, '--store', FIXTURE);
      assert.equal(copy.status, 0, copy.stderr);
      assert.match(copy.stdout, /1 written/);
      const runs = wfstore('runs', target, '--store', FIXTURE, '--json');
      assert.equal(runs.status, 0, runs.stderr);
      assert.deepEqual(
        (JSON.parse(runs.stdout) as { id: string }[]).map((r) => r.id),
        ['r1'],
      );
      const events = wfstore('events', target, 'r1', '--store', FIXTURE);
      assert.equal(events.status, 0, events.stderr);
      assert.match(events.stdout, /workflow_started/);
      const archive = path.join(dir, 'runs.ndjson');
      const exported = wfstore('export', target, archive, '--store', FIXTURE);
      assert.equal(exported.status, 0, exported.stderr);
      assert.match(await fs.readFile(archive, 'utf8'), /"run_id":"r1"/);
      assert.equal(wfstore('outputs', target, 'r1', '--store', FIXTURE).status, 0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('store:<location> without --store: exit 2, saying what it needs', () => {
    const { status, stderr } = wfstore('runs', 'store:/tmp/x.db');
    assert.equal(status, 2);
    assert.match(stderr, /names the store of an initializer module: give --store <module>/);
  });
});

describe('wfstore demo --backend memory', () => {
  it('leaves no directory behind: the data is gone, as it says', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-demo-tmp-'));
    try {
      const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, 'demo', '--backend', 'memory'], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, TMPDIR: tmp },
      });
      assert.equal(status, 0, stderr);
      assert.match(stdout, /gone at the end/);
      // tsx, which runs this checkout's source, keeps its cache there; the demo itself writes nothing.
      assert.deepEqual(
        (await fs.readdir(tmp)).filter((e) => !e.startsWith('tsx-')),
        [],
      );
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('wfstore demo that fails', () => {
  // A loader hook that makes the drivers unresolvable, as in a project that did not install them.
  const HIDE =
    'data:text/javascript,export async function resolve(s, c, next) { ' +
    `if (/^(better-sqlite3|fs-ext)$/.test(s)) { const e = new Error("Cannot find package '" + s + "'"); ` +
    `e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return next(s, c); }`;
  const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(HIDE)});`;

  for (const [backend, driver] of [
    ['filesystem', 'fs-ext'],
    ['sqlite', 'better-sqlite3'],
  ]) {
    it(`--backend ${backend} without ${driver}: one line naming it, and no directory left behind`, async () => {
      const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-demo-tmp-'));
      try {
        const { status, stderr } = spawnSync(
          process.execPath,
          ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, BIN, 'demo', '--backend', backend!],
          { encoding: 'utf8', timeout: 120_000, env: { ...process.env, TMPDIR: tmp } },
        );
        assert.notEqual(status, 0);
        assert.match(stderr, new RegExp(`wfstore/${backend} needs the package ${driver}, which is not installed`));
        // tsx, which runs this checkout's source, keeps its cache there.
        assert.deepEqual(
          (await fs.readdir(tmp)).filter((e) => !e.startsWith('tsx-')),
          [],
        );
      } finally {
        await fs.rm(tmp, { recursive: true, force: true });
      }
    });
  }

  it('--help says --backend is required and lists the backends', () => {
    const { stdout } = wfstore('demo', '--help');
    assert.match(stdout, /--backend <name>\s+\(required\)/);
    assert.match(stdout, new RegExp(BACKEND_NAMES.join(',\\s+')));
  });
});

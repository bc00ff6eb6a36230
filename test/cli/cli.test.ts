// The wfstore command as a user runs it: bin/wfstore.js in a child process.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
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
      assert.match(stdout, /node_failed\s+transform\s+✖ transform: the upstream service timed out/);
      assert.match(stdout, /workflow_resumed\s+reusing fetch, parse/);
      assert.match(stdout, /run \S+ is completed/);
      assert.match(stdout, /fetch ×1, parse ×1, transform ×2/);
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

// Stores written by wfstore 0.1.0 (test/backends/fixtures/0.1.0/, made by make-fixtures.ts there) open with
// today's code: a copy of each is opened, which migrates it forward (filesystem format 0 to 1, SQL schema 1 to
// 3), every run reads back equal to what 0.1.0 read from it, `wfstore verify` finds it clean, and new writes
// continue its runs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createFilesystemStore } from '../../src/backends/filesystem/index.js';
import { createPostgresStore } from '../../src/backends/postgres/index.js';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { readBack, SCHEMA } from './fixtures/0.1.0/make-fixtures.js';
import { closeTestServer, openTestServer, type TestServer } from '../support/postgres-server.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures', '0.1.0');

async function expected(backend: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(path.join(FIXTURES, 'expected', `${backend}.json`), 'utf8'));
}

/** `wfstore verify --json <url>` as a user runs it: its exit status and report. */
function verify(url: string): { status: number | null; damage: unknown[]; runs: number; events: number } {
  const child = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'wfstore.js'), 'verify', '--json', url], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.ok(child.stdout.startsWith('{'), `wfstore verify printed no report: ${child.stderr}`);
  const { damage, runs, events } = JSON.parse(child.stdout) as { damage: unknown[]; runs: number; events: number };
  return { status: child.status, damage, runs, events };
}

/** What 0.1.0 read, read again by today's store; then a new event on an old run takes the next sequence. */
async function readsAsWritten(store: IWorkflowStore, backend: string): Promise<void> {
  try {
    assert.deepEqual(JSON.parse(JSON.stringify(await readBack(store))), await expected(backend));
    const event = await store.createWorkflowEvent({
      run_id: 'etl-1',
      event_type: 'node_completed',
      payload: { node_id: 'load', output: 'again' },
    });
    assert.equal(event.sequence, 7);
    assert.equal((await store.getCompletedDagNodeOutputs('etl-1')).get('load'), 'again');
    const update = await store.updateWorkflowRun('idle', { status: 'running' });
    assert.equal(update.status, 'running');
  } finally {
    await store.close();
  }
}

// 4 runs and 248 events written by 0.1.0, one event more by the test.
const RUNS = 4;
const EVENTS = 249;

describe('stores written by wfstore 0.1.0', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-old-stores-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('filesystem: format 0 is migrated to format 2 at open, reads back as written, verifies clean', async () => {
    const store = path.join(dir, 'filesystem');
    await fs.cp(path.join(FIXTURES, 'filesystem'), store, { recursive: true });
    const before = verify(`file:${store}`);
    assert.equal(before.status, 1, 'a store of format 0 is not clean before it is migrated');
    assert.ok(before.damage.length > 0);

    await readsAsWritten(await createFilesystemStore({ artifactsDir: store }), 'filesystem');
    const marker = JSON.parse(await fs.readFile(path.join(store, '.wfstore-format'), 'utf8'));
    assert.deepEqual(marker, { format: 'wfstore-filesystem', version: 2 });
    await assert.rejects(fs.stat(path.join(store, '.locks')), { code: 'ENOENT' });
    const after = verify(`file:${store}`);
    assert.deepEqual(after, { status: 0, damage: [], runs: RUNS, events: EVENTS });
    // Reopened: the store is of format 2 and is not migrated again.
    const again = await createFilesystemStore({ artifactsDir: store });
    assert.equal((await again.listWorkflowEvents('report.v2', { limit: 1000 })).length, 240);
    await again.close();
  });

  it(
    'filesystem: a format-0 log that is not a sequence of its run stops the migration, ' + 'the store untouched',
    async () => {
      const store = path.join(dir, 'filesystem-damaged');
      await fs.cp(path.join(FIXTURES, 'filesystem'), store, { recursive: true });
      const log = path.join(store, 'etl-2', 'events.jsonl');
      const lines = (await fs.readFile(log, 'utf8')).split('\n');
      await fs.writeFile(log, [lines[1], lines[0], ...lines.slice(2)].join('\n'));
      await assert.rejects(createFilesystemStore({ artifactsDir: store }), {
        name: 'StoreOpenError',
        message: new RegExp(
          /filesystem format 0 \(wfstore 0\.1\.0\) and cannot be migrated: /.source +
            /run "etl-2": events\.jsonl line 1 is not event 1/.source,
        ),
      });
      await assert.rejects(fs.stat(path.join(store, '.wfstore-format')), { code: 'ENOENT' });
    },
  );

  it('sqlite: schema version 1 is migrated to 3 at open, reads back as written, verifies clean', async () => {
    const file = path.join(dir, 'workflows.db');
    await fs.copyFile(path.join(FIXTURES, 'sqlite.db'), file);
    const version = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT value FROM wfstore_meta WHERE key = 'schema_version'`).get() as { value: string })
          .value;
      } finally {
        db.close();
      }
    };
    assert.equal(version(), '1');
    await readsAsWritten(await createSqliteStore({ filename: file }), 'sqlite');
    assert.equal(version(), '3');
    const report = verify(`sqlite:${file}`);
    assert.deepEqual(report, { status: 0, damage: [], runs: RUNS, events: EVENTS });
  });

  describe('postgres', () => {
    let server: TestServer;
    let schema: string;
    before(async () => {
      server = await openTestServer();
      schema = `wfstore_old_${process.pid}_${Date.now()}`;
    });
    after(async () => {
      await server?.peek.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      if (server !== undefined) await closeTestServer(server);
    });

    it('schema version 1 is migrated to 3 at open, reads back as written, verifies clean', async () => {
      // The dump's statements, in a schema of this test's own; psql's meta-commands (\restrict) left out.
      const dump = (await fs.readFile(path.join(FIXTURES, 'postgres.sql'), 'utf8'))
        .split('\n')
        .filter((line) => !line.startsWith('\\'))
        .join('\n')
        .replaceAll(SCHEMA, schema);
      const client = new pg.Client({ connectionString: server.server.connectionString });
      await client.connect();
      try {
        await client.query(dump);
      } finally {
        await client.end();
      }
      const version = async () =>
        (await server.peek.query(`SELECT value FROM ${schema}.wfstore_meta WHERE key = 'schema_version'`)).rows[0]
          ?.value;
      assert.equal(await version(), '1');
      await readsAsWritten(
        await createPostgresStore({ connectionString: server.server.connectionString, schema }),
        'postgres',
      );
      assert.equal(await version(), '3');
      const url = new URL(server.server.connectionString);
      url.searchParams.set('schema', schema);
      const report = verify(url.toString());
      assert.deepEqual(report, { status: 0, damage: [], runs: RUNS, events: EVENTS });
    });
  });
});

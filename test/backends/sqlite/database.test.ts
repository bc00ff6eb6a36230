// What the SQLite backend really stores, read through a second connection, not through the store.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { eventChecksum, type StoredEventRow } from '../../../src/backends/sql/checksum.js';
import { createSqliteStore } from '../../../src/backends/sqlite/index.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { refusedAtOpen, rejectsWith } from '../../support/assertions.js';

describe('sqlite backend in the database', () => {
  let root: string;
  let file: string;
  let store: IWorkflowStore;
  let peek: Database.Database;
  let n = 0;
  const columns = (table: string) =>
    (peek.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-test-'))));
  after(async () => fs.rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    file = path.join(root, `case-${++n}`, 'wf.db');
    store = await createSqliteStore({ filename: file });
    peek = new Database(file);
  });
  afterEach(async () => {
    peek.close();
    await store.close();
  });

  // The tables and the seed's columns are 3-sqlite-backend.feature; here, what it leaves out.
  it('keeps run metadata in workflow_runs and keys events by (run_id, sequence)', () => {
    assert.ok(columns('workflow_runs').includes('metadata'));
    const pk = (peek.prepare(`PRAGMA table_info(workflow_events)`).all() as { name: string; pk: number }[])
      .filter((c) => c.pk > 0)
      .map((c) => c.name);
    assert.deepEqual(pk, ['run_id', 'sequence']);
  });

  it('events and node outputs reference their run with ON DELETE CASCADE', () => {
    for (const table of ['workflow_events', 'workflow_node_outputs']) {
      const fks = peek.prepare(`PRAGMA foreign_key_list(${table})`).all() as { table: string; on_delete: string }[];
      assert.deepEqual(
        fks.map((f) => [f.table, f.on_delete]),
        [['workflow_runs', 'CASCADE']],
        table,
      );
    }
  });

  it('runs in WAL mode and records its schema version', () => {
    assert.equal(peek.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(peek.prepare(`SELECT value FROM wfstore_meta WHERE key = 'schema_version'`).get(), { value: '3' });
  });

  it('stores rows as the store returned them: JSON as text, timestamps as ISO text', async () => {
    const run = await store.createWorkflowRun({
      id: 'r',
      workflow_name: 'w',
      user_message: 'm',
      metadata: { k: [1, { z: 1, a: 2 }] },
    });
    const event = await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: { b: 1, a: 2 } },
    });
    const row = peek.prepare(`SELECT * FROM workflow_runs WHERE id = 'r'`).get() as Record<string, unknown>;
    assert.equal(row.metadata, '{"k":[1,{"z":1,"a":2}]}');
    assert.equal(row.created_at, run.created_at);
    assert.equal(row.status, 'pending');
    assert.deepEqual(
      peek.prepare(`SELECT run_id, sequence, event_type, timestamp, payload FROM workflow_events`).all(),
      [
        {
          run_id: 'r',
          sequence: 1,
          event_type: 'node_completed',
          timestamp: event.timestamp,
          payload: '{"node_id":"n","output":{"b":1,"a":2}}',
        },
      ],
    );
    assert.deepEqual(peek.prepare(`SELECT run_id, node_id, output, sequence FROM workflow_node_outputs`).all(), [
      { run_id: 'r', node_id: 'n', output: '{"b":1,"a":2}', sequence: 1 },
    ]);
  });

  it('keeps each row checksum and the run last_sequence, in the append transaction', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'a', payload: { x: 'ü\u0000' } });
    await store.updateWorkflowRun(
      'r',
      { status: 'running' },
      { event: { event_type: 'node_completed', payload: { node_id: 'n' } } },
    );
    const rows = peek.prepare(`SELECT * FROM workflow_events ORDER BY sequence`).all() as StoredEventRow[];
    assert.deepEqual(
      rows.map((row) => [row.sequence, row.checksum]),
      rows.map((row) => [row.sequence, eventChecksum(row)]),
    );
    assert.match(rows[0]!.checksum, /^[0-9a-f]{16}$/);
    assert.deepEqual(peek.prepare(`SELECT last_sequence FROM workflow_runs`).get(), { last_sequence: 2 });
  });

  it('deleting a run deletes its events and node outputs', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n' } });
    await store.deleteWorkflowRun('r');
    for (const table of ['workflow_runs', 'workflow_events', 'workflow_node_outputs']) {
      assert.deepEqual(peek.prepare(`SELECT count(*) AS n FROM ${table}`).get(), { n: 0 }, table);
    }
  });

  it(
    'an append is one transaction: when the node output cannot be written, ' + 'no event row and no sequence are left',
    async () => {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'x' });
      peek.exec(
        'CREATE TRIGGER refuse_outputs BEFORE INSERT ON workflow_node_outputs ' +
          `BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
      );
      const error = await rejectsWith(
        store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n' } }),
        'BACKEND_FAILURE',
      );
      assert.match(error.message, /disk says no/);
      assert.ok(error.cause instanceof Error, 'the driver error is kept as cause');
      assert.deepEqual(peek.prepare(`SELECT count(*) AS n FROM workflow_events`).get(), { n: 1 });
      assert.deepEqual(peek.prepare(`SELECT max(sequence) AS last FROM workflow_events`).get(), { last: 1 });
      assert.deepEqual(peek.prepare(`SELECT last_sequence FROM workflow_runs`).get(), { last_sequence: 1 });
      peek.exec(`DROP TRIGGER refuse_outputs`);
      assert.equal((await store.createWorkflowEvent({ run_id: 'r', event_type: 'x' })).sequence, 2);
    },
  );

  it('a database from a newer wfstore is refused with a clear error and left untouched', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.close();
    peek.prepare(`UPDATE wfstore_meta SET value = '99' WHERE key = 'schema_version'`).run();
    const before = peek.prepare(`SELECT * FROM workflow_runs`).all();
    await assert.rejects(createSqliteStore({ filename: file }), (error: unknown) => {
      assert.ok(error instanceof StoreOpenError);
      assert.match(error.message, /schema version 99/);
      assert.match(error.message, /not changed/);
      return true;
    });
    assert.deepEqual(peek.prepare(`SELECT value FROM wfstore_meta`).get(), { value: '99' });
    assert.deepEqual(peek.prepare(`SELECT * FROM workflow_runs`).all(), before);
    store = await createSqliteStore({ filename: ':memory:' }); // for afterEach
  });
});

describe('createSqliteStore in one process', () => {
  // Each opener migrates in a transaction; without waiting for the other openers of this process, the second
  // one's lock wait blocked the first's commit until busy_timeout, and failed with "database is locked".
  for (const existing of [false, true]) {
    it(`opens 5 stores of one ${existing ? 'existing' : 'new'} file at once, each working`, async () => {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-open-'));
      const file = path.join(root, 'wf.db');
      try {
        if (existing) await (await createSqliteStore({ filename: file })).close();
        const stores = await Promise.all(
          Array.from({ length: 5 }, () => createSqliteStore({ filename: file, busyTimeoutMs: 1000 })),
        );
        await Promise.all(
          stores.map((s, i) => s.createWorkflowRun({ id: `r${i}`, workflow_name: 'w', user_message: '' })),
        );
        assert.equal((await stores[0]!.listWorkflowRuns()).length, 5);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await fs.rm(root, { recursive: true, force: true });
      }
    });
  }
});

describe('createSqliteStore options', () => {
  let root: string;
  before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-options-'))));
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('refuses a bad or unknown option with a StoreOpenError naming it, and creates nothing', async () => {
    const filename = path.join(root, 'dir', 'wf.db');
    const refused: [string, unknown][] = [
      ['filename', {}],
      ['filename', { filename: '' }],
      ['filename', { filename: 7 }],
      ['synchronous', { filename, synchronous: 'FULL' }],
      ['synchronous', { filename, synchronous: 'off' }],
      ['synchronous', { filename, synchronous: true }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: -1 }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: 1.5 }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: '5000' }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: Number.NaN }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: Number.POSITIVE_INFINITY }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: 2 ** 53 }],
      ['busyTimeoutMs', { filename, busyTimeoutMs: 2 ** 31 }],
      ['busyTimeout', { filename, busyTimeout: 100 }],
      ['fsync', { filename, fsync: true }],
      ['now', { filename, now: 0 }],
      ['generateId', { filename, generateId: {} }],
      ['options', undefined],
    ];
    for (const [option, options] of refused) {
      await refusedAtOpen(createSqliteStore(options as never), option);
      assert.deepEqual(await fs.readdir(root), [], `nothing created for ${JSON.stringify(options)}`);
    }
  });

  it('takes busyTimeoutMs from 0 to 2147483647 and synchronous "full" or "normal"', async () => {
    const cases = [
      { busyTimeoutMs: 0, synchronous: 'normal' },
      { busyTimeoutMs: 2 ** 31 - 1, synchronous: 'full' },
      { busyTimeoutMs: undefined, synchronous: undefined },
    ] as const;
    for (const [i, options] of cases.entries()) {
      const store = await createSqliteStore({ filename: path.join(root, `ok-${i}.db`), ...options });
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      await store.close();
    }
  });
});

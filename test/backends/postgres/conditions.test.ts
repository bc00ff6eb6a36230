// A fenced append on PostgreSQL (WF-SEQ-4): one statement that checks the row its UPDATE locks, so a writer that
// held the row and changed it makes the append refuse; when the JSON texts differ it decides in JavaScript and
// appends only if the run's revision is still the one it read. And an update with many events (WF-UPD-5) sends
// them in one statement of its transaction.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import type { CreateWorkflowEventOptions, IWorkflowStore, JsonObject } from '../../../src/contract/types.js';
import { rejectsWith } from '../../support/assertions.js';
import { closeTestServer, openTestServer, type TestServer } from '../../support/postgres-server.js';

let test: TestServer;
before(async () => (test = await openTestServer()));
after(async () => closeTestServer(test));

/** A pool that records each statement's text, and may run `after(text)` once a statement has answered. */
function watchedPool(): pg.Pool & { sent: string[]; after?: (text: string) => Promise<void> } {
  const pool = new pg.Pool({ connectionString: test.server.connectionString, max: 2 }) as pg.Pool & {
    sent: string[];
    after?: (text: string) => Promise<void>;
  };
  pool.sent = [];
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (config: { text: string }) => Promise<unknown>;
    (client as unknown as { query: (config: { text: string }) => Promise<unknown> }).query = async (config) => {
      const text = typeof config === 'string' ? config : config.text;
      pool.sent.push(text);
      const result = await original(config);
      await pool.after?.(text);
      return result;
    };
  });
  return pool;
}

/** A store on a fresh schema with run "r" (running, `metadata`). */
async function withRun(
  metadata: JsonObject,
  use: (store: IWorkflowStore, schema: string, pool: ReturnType<typeof watchedPool>) => Promise<void>,
): Promise<void> {
  const schema = test.schemas.newName();
  const pool = watchedPool();
  const store = await createPostgresStore({ pool, schema });
  try {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', status: 'running', metadata });
    pool.sent = [];
    await use(store, schema, pool);
  } finally {
    await store.close();
    await pool.end();
    await test.schemas.drop(schema);
  }
}

/** An append fenced by `options` while another connection holds the run's row, changes it by `set`, and commits. */
async function appendWhileChanged(
  store: IWorkflowStore,
  schema: string,
  set: string,
  options: CreateWorkflowEventOptions,
): Promise<{ append: Promise<unknown> }> {
  const other = await test.peek.connect();
  try {
    await other.query('BEGIN');
    await other.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
    await other.query(`UPDATE ${schema}.workflow_runs SET ${set}, revision = revision + 1 WHERE id = 'r'`);
    const append = store.createWorkflowEvent({ run_id: 'r', event_type: 'late' }, options);
    append.catch(() => {});
    await sleep(200);
    await other.query('COMMIT');
    return { append };
  } finally {
    other.release();
  }
}

describe('postgres: fenced appends and events with an update', () => {
  it('a fenced append is checked on the row as the writer that held it committed it', () =>
    withRun({ claim: 'old' }, async (store, schema) => {
      const claim = await appendWhileChanged(store, schema, `metadata = '{"claim":"new"}'`, {
        expected_metadata: { claim: 'old' },
      });
      assert.equal((await rejectsWith(claim.append, 'STATUS_CONFLICT')).field, 'metadata.claim');
      const status = await appendWhileChanged(store, schema, `status = 'cancelled'`, { expected_status: 'running' });
      assert.equal((await rejectsWith(status.append, 'STATUS_CONFLICT')).field, 'status');
      assert.deepEqual(await store.listWorkflowEvents('r'), []);
      // A change that leaves what the append expects as it was: it waits for the row, then appends.
      const fresh = await appendWhileChanged(store, schema, `metadata = '{"claim":"new","step":2}'`, {
        expected_status: 'cancelled',
        expected_metadata: { claim: 'new' },
      });
      assert.equal(((await fresh.append) as { sequence: number }).sequence, 1);
    }));

  it('a fenced append whose expected values are stored as the same JSON text is one statement', () =>
    withRun({ claim: 'c-1', lease: { n: 3, at: [1, 'x'] } }, async (store, _schema, pool) => {
      const event = await store.createWorkflowEvent(
        { run_id: 'r', event_type: 'tick' },
        { expected_status: 'running', expected_metadata: { claim: 'c-1', lease: { n: 3, at: [1, 'x'] } } },
      );
      assert.equal(event.sequence, 1);
      assert.equal(pool.sent.length, 1, pool.sent.join('\n'));
    }));

  it('JSON equal in another key order, or beside \\u0000 and lone surrogates, is decided in JavaScript', () =>
    withRun({ lease: { n: 3, at: 'x' }, odd: 'a\u0000\ud800' }, async (store) => {
      const ok = await store.createWorkflowEvent(
        { run_id: 'r', event_type: 'tick' },
        { expected_metadata: { lease: { at: 'x', n: 3 }, odd: 'a\u0000\ud800' } },
      );
      assert.equal(ok.sequence, 1);
      const refused = store.createWorkflowEvent(
        { run_id: 'r', event_type: 'tick' },
        { expected_metadata: { odd: 'a' } },
      );
      assert.equal((await rejectsWith(refused, 'STATUS_CONFLICT')).field, 'metadata.odd');
      assert.equal((await store.listWorkflowEvents('r')).length, 1);
    }));

  it('decided in JavaScript, it appends only if no update came between its read and its write', () =>
    withRun({ lease: { n: 3, at: 'x' } }, async (store, schema, pool) => {
      let updated = false;
      // Right after the append's read of the run, another writer updates it.
      pool.after = async (text) => {
        if (updated || !/revision FROM .*workflow_runs WHERE id = \$1$/s.test(text)) return;
        updated = true;
        await test.peek.query(
          `UPDATE ${schema}.workflow_runs SET metadata = '{"lease":{"n":4}}', revision = revision + 1 WHERE id = 'r'`,
        );
      };
      const append = store.createWorkflowEvent(
        { run_id: 'r', event_type: 'tick' },
        { expected_metadata: { lease: { at: 'x', n: 3 } } },
      );
      assert.equal((await rejectsWith(append, 'STATUS_CONFLICT')).field, 'metadata.lease');
      assert.ok(updated);
      assert.deepEqual(await store.listWorkflowEvents('r'), []);
    }));

  it('fenced appends that arrive together go in one statement, each admitted as it would be alone', () =>
    withRun({ claim: 'c', lease: { n: 1, at: 'x' } }, async (store, _schema, pool) => {
      await store.createWorkflowRun({ id: 's', workflow_name: 'w', user_message: '', status: 'paused' });
      const tick = (run_id: string) => ({ run_id, event_type: 'tick' });
      const calls: [Promise<unknown>, 'ok' | 'status' | 'metadata.claim' | 'metadata.lease'][] = [];
      for (let i = 0; i < 12; i++) {
        calls.push([store.createWorkflowEvent(tick('r'), { expected_metadata: { claim: 'c' } }), 'ok']);
        calls.push([store.createWorkflowEvent(tick('r'), { expected_metadata: { claim: 'd' } }), 'metadata.claim']);
        calls.push([store.createWorkflowEvent(tick('r'), { expected_metadata: { lease: { at: 'x', n: 1 } } }), 'ok']);
        calls.push([
          store.createWorkflowEvent(tick('r'), { expected_metadata: { lease: { n: 2 } } }),
          'metadata.lease',
        ]);
        calls.push([store.createWorkflowEvent(tick('s'), { expected_status: 'paused' }), 'ok']);
        calls.push([store.createWorkflowEvent(tick('s'), { expected_status: 'running' }), 'status']);
        calls.push([store.createWorkflowEvent(tick('s')), 'ok']);
      }
      const outcomes = await Promise.all(
        calls.map(([call]) =>
          call.then(
            () => 'ok',
            (error: { field?: string }) => error.field ?? String(error),
          ),
        ),
      );
      assert.deepEqual(
        outcomes,
        calls.map(([, expected]) => expected),
      );
      assert.ok(pool.sent.some((text) => text.includes('unnest($9::text[], $10::text[], $11::bigint[])')));
      // Admitted together: a few statements for many calls.
      pool.sent = [];
      const admitted = Array.from({ length: 48 }, (_, i) =>
        i % 2 === 0
          ? store.createWorkflowEvent(tick('r'), { expected_status: 'running', expected_metadata: { claim: 'c' } })
          : store.createWorkflowEvent(tick('s'), { expected_status: 'paused' }),
      );
      await Promise.all(admitted);
      assert.ok(pool.sent.length <= 8, `${pool.sent.length} statements for 48 appends`);
      for (const [run, count] of [
        ['r', 48],
        ['s', 48],
      ] as const) {
        const events = await store.listWorkflowEvents(run, { limit: 100 });
        assert.deepEqual(
          events.map((event) => event.sequence),
          Array.from({ length: count }, (_, i) => i + 1),
        );
      }
    }));

  it('fenced appends batched in one statement are checked on the row as committed once it is locked', () =>
    withRun({ claim: 'old' }, async (store, schema, pool) => {
      await store.createWorkflowRun({ id: 'q', workflow_name: 'w', user_message: '' });
      const other = await test.peek.connect();
      try {
        await other.query('BEGIN');
        await other.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
        await other.query(`UPDATE ${schema}.workflow_runs SET metadata = '{"claim":"new"}' WHERE id = 'r'`);
        pool.sent = [];
        // The first goes alone; the ten that arrive meanwhile go together, and wait for the row.
        const lone = store.createWorkflowEvent({ run_id: 'q', event_type: 'tick' });
        const fenced = Array.from({ length: 10 }, () =>
          store.createWorkflowEvent({ run_id: 'r', event_type: 'late' }, { expected_metadata: { claim: 'old' } }),
        );
        for (const call of fenced) call.catch(() => {});
        await lone;
        await sleep(200);
        await other.query('COMMIT');
        for (const call of fenced) assert.equal((await rejectsWith(call, 'STATUS_CONFLICT')).field, 'metadata.claim');
        assert.ok(pool.sent.some((text) => text.includes('unnest($9::text[], $10::text[], $11::bigint[])')));
        assert.deepEqual(await store.listWorkflowEvents('r'), []);
      } finally {
        other.release();
      }
    }));

  it('an update with 1,000 events is one transaction of five statements, the events numbered after the log', () =>
    withRun({ claim: 'old' }, async (store, _schema, pool) => {
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'first' });
      pool.sent = [];
      const events = Array.from({ length: 1000 }, (_, i) => ({
        event_type: 'node_completed',
        payload: { node_id: `n${i % 7}`, output: i },
      }));
      await store.updateWorkflowRun('r', { status: 'completed' }, { events, expected_metadata: { claim: 'old' } });
      assert.equal(pool.sent.length, 5, pool.sent.map((text) => text.slice(0, 60)).join('\n'));
      const listed = await store.listWorkflowEvents('r', { limit: 2000 });
      assert.deepEqual(
        listed.map((event) => event.sequence),
        Array.from({ length: 1001 }, (_, i) => i + 1),
      );
      const outputs = await store.getCompletedDagNodeOutputs('r');
      assert.deepEqual(
        [...outputs],
        [993, 994, 995, 996, 997, 998, 999].map((i) => [`n${i % 7}`, i]),
      );
    }));
});

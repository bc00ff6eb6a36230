// PostgreSQL group commit (src/backends/postgres/group.ts): appends that arrive while one is in flight go as one
// statement; an append that cannot be stored fails alone, the others in its statement commit; stores on the
// same runs keep every run's numbering gapless.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import type { IWorkflowStore, JsonValue } from '../../../src/contract/types.js';
import { rejectsWith } from '../../support/assertions.js';
import { closeTestServer, openTestServer, type TestServer } from '../../support/postgres-server.js';

/** An append statement the store sent, and how many appends it carried. */
interface Sent {
  name: 'alone' | 'batch';
  appends: number;
}

let db: TestServer;
before(async () => (db = await openTestServer()));
after(async () => closeTestServer(db));

/**
 * A store on a fresh schema with these runs, on a pool handed in that records each append statement sent
 * (a statement is one round trip and, in autocommit, one commit).
 */
async function storeWithRuns(runs: string[], statementTimeoutMs?: number) {
  const schema = db.schemas.newName();
  const pool = new pg.Pool({ connectionString: db.server.connectionString, max: 10 });
  const sent: Sent[] = [];
  // Each connection's statements, as the store sends them on the connections it takes from the pool.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
    client.query = ((config: pg.QueryConfig) => {
      if (config.name?.includes('_append')) {
        const first = config.values?.[0];
        const name = config.name.endsWith('_append_batch') ? 'batch' : 'alone';
        sent.push({ name, appends: Array.isArray(first) ? first.length : 1 });
      }
      return query(config);
    }) as typeof client.query;
  });
  const store = await createPostgresStore({ pool, schema, statementTimeoutMs });
  for (const id of runs) await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
  sent.length = 0;
  const close = async () => {
    await store.close();
    await pool.end();
    await db.schemas.drop(schema);
  };
  return { store, schema, sent, close };
}

/** Waits until a statement on this schema waits for a row lock. */
async function waitingForLock(schema: string): Promise<void> {
  for (;;) {
    const { rowCount } = await db.peek.query(
      `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
      [schema],
    );
    if (rowCount !== 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sequences = async (store: IWorkflowStore, run: string) =>
  (await store.listWorkflowEvents(run)).map((e) => [e.sequence, e.event_type]);

describe('PostgreSQL group commit', () => {
  it('in one statement, an unknown, deleted or damaged run fails its own append; the others commit', async () => {
    const { store, schema, sent, close } = await storeWithRuns(['r1', 'r2', 'r3', 'r4']);
    await store.createWorkflowEvent({ run_id: 'r4', event_type: 'damaged' });
    await db.peek.query(`UPDATE ${schema}.workflow_events SET checksum = 'bad' WHERE run_id = 'r4'`);
    sent.length = 0;
    // r2 is deleted while the statement waits for its row: after the statement's snapshot, before its commit.
    const holder = await db.peek.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r2' FOR UPDATE`);
    // The first goes alone at once; the rest wait for it and go together.
    const first = store.createWorkflowEvent({ run_id: 'r1', event_type: 'first' });
    const calls = [
      store.createWorkflowEvent({ run_id: 'r1', event_type: 'a' }),
      store.createWorkflowEvent({ run_id: 'r2', event_type: 'deleted' }),
      store.createWorkflowEvent({ run_id: 'nope', event_type: 'unknown' }),
      store.createWorkflowEvent({ run_id: 'r3', event_type: 'node_completed', payload: { node_id: 'n', output: 1 } }),
      store.createWorkflowEvent({ run_id: 'r4', event_type: 'x' }),
      store.createWorkflowEvent({ run_id: 'r3', event_type: 'node_completed', payload: { node_id: 'n', output: 2 } }),
      store.createWorkflowEvent({ run_id: 'r1', event_type: 'b' }),
    ];
    const all = Promise.allSettled(calls);
    try {
      assert.equal((await first).sequence, 1);
      await waitingForLock(schema);
      await holder.query(`DELETE FROM ${schema}.workflow_runs WHERE id = 'r2'`);
      await holder.query('COMMIT');
    } finally {
      await holder.query('ROLLBACK'); // nothing left to roll back, unless an assertion failed
      holder.release();
    }
    const settled = await all;
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value.sequence : 'failed')),
      [2, 'failed', 'failed', 1, 'failed', 2, 3],
    );
    await rejectsWith(calls[1]!, 'RUN_NOT_FOUND');
    await rejectsWith(calls[2]!, 'RUN_NOT_FOUND');
    await rejectsWith(calls[4]!, 'STORE_CORRUPTED');
    // The deleted run's append was sent again alone, to learn what holds once the statement had committed.
    assert.deepEqual(
      sent.map((s) => `${s.name} ${s.appends}`),
      ['alone 1', 'batch 7', 'alone 1'],
    );
    assert.deepEqual(await sequences(store, 'r1'), [
      [1, 'first'],
      [2, 'a'],
      [3, 'b'],
    ]);
    assert.deepEqual([...(await store.getCompletedDagNodeOutputs('r3'))], [['n', 2]], 'the latest completion');
    assert.equal((await store.createWorkflowEvent({ run_id: 'r3', event_type: 'after' })).sequence, 3);
    await close();
  });

  it('a statement refused by a constraint is sent again one append at a time: exactly the bad one fails', async () => {
    const { store, schema, sent, close } = await storeWithRuns(['r1', 'r2', 'r3']);
    // A constraint only this test's schema has: an event of type "refused" cannot be stored.
    await db.peek.query(`ALTER TABLE ${schema}.workflow_events ADD CONSTRAINT refuse CHECK (event_type <> 'refused')`);
    const first = store.createWorkflowEvent({ run_id: 'r1', event_type: 'first' });
    const calls = [
      store.createWorkflowEvent({ run_id: 'r1', event_type: 'a' }),
      store.createWorkflowEvent({ run_id: 'r2', event_type: 'refused' }),
      store.createWorkflowEvent({ run_id: 'r2', event_type: 'node_completed', payload: { node_id: 'n', output: 1 } }),
      store.createWorkflowEvent({ run_id: 'r3', event_type: 'c' }),
      store.createWorkflowEvent({ run_id: 'r1', event_type: 'b' }),
    ];
    const all = Promise.allSettled(calls);
    await first;
    const settled = await all;
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value.sequence : 'failed')),
      [2, 'failed', 1, 1, 3],
    );
    const error = await rejectsWith(calls[1]!, 'BACKEND_FAILURE');
    assert.match(String((error.cause as Error).message), /refuse/);
    assert.deepEqual(
      sent.map((s) => `${s.name} ${s.appends}`),
      ['alone 1', 'batch 5', ...Array(5).fill('alone 1')],
    );
    assert.deepEqual(await sequences(store, 'r2'), [[1, 'node_completed']], 'the refused event took no number');
    assert.deepEqual([...(await store.getCompletedDagNodeOutputs('r2'))], [['n', 1]]);
    assert.deepEqual(await sequences(store, 'r1'), [
      [1, 'first'],
      [2, 'a'],
      [3, 'b'],
    ]);
    await close();
  });

  it('64 runs appending at once share a few statements, not 64 commits', async () => {
    const runs = Array.from({ length: 64 }, (_, i) => `r${i}`);
    const { store, sent, close } = await storeWithRuns(runs);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        runs.map((run_id, i) =>
          store.createWorkflowEvent({ run_id, event_type: 'node_completed', payload: { node_id: 'n', output: i } }),
        ),
      );
    }
    const appends = sent.reduce((sum, s) => sum + s.appends, 0);
    assert.equal(appends, 3 * 64);
    assert.ok(sent.length <= 12, `${sent.length} statements for ${appends} appends: ${JSON.stringify(sent)}`);
    for (const [i, run] of runs.entries()) {
      assert.deepEqual(
        (await store.listWorkflowEvents(run)).map((e) => e.sequence),
        [1, 2, 3],
      );
      assert.deepEqual([...(await store.getCompletedDagNodeOutputs(run))], [['n', i]]);
    }
    await close();
  });

  it('two stores appending to the same runs: each run gapless 1..n, each writer in its own order', async () => {
    const runs = Array.from({ length: 16 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const a = await storeWithRuns(runs);
    const b = await createPostgresStore({ connectionString: db.server.connectionString, schema: a.schema });
    const PER_WRITER = 40;
    // The second store takes the runs in the reverse order: its statements list them the other way round.
    const write = (store: IWorkflowStore, writer: string, order: string[]) =>
      Promise.all(
        order.map(async (run_id) => {
          for (let i = 0; i < PER_WRITER; i++) {
            const payload = { node_id: `n${i % 3}`, output: `${writer}${i}`, writer, i };
            await store.createWorkflowEvent({ run_id, event_type: i % 2 ? 'tick' : 'node_completed', payload });
          }
        }),
      );
    await Promise.all([write(a.store, 'a', runs), write(b, 'b', [...runs].reverse())]);
    assert.ok(
      a.sent.some((s) => s.appends > 1),
      'the first store batched',
    );
    for (const run of runs) {
      const events = await a.store.listWorkflowEvents(run);
      assert.deepEqual(
        events.map((e) => e.sequence),
        Array.from({ length: 2 * PER_WRITER }, (_, k) => k + 1),
        `${run}: a gap or a repeat`,
      );
      const latest = new Map<string, JsonValue>();
      for (const writer of ['a', 'b']) {
        const mine = events.filter((e) => e.payload.writer === writer).map((e) => e.payload.i);
        assert.deepEqual(mine, [...Array(PER_WRITER).keys()], `${run}: writer ${writer}'s events in its order`);
      }
      for (const e of events)
        if (e.event_type === 'node_completed') latest.set(e.payload.node_id as string, e.payload.output!);
      assert.deepEqual(new Map(await a.store.getCompletedDagNodeOutputs(run)), latest, `${run}: latest outputs`);
    }
    await b.close();
    await a.close();
  });

  it('a statement the server cancels at statementTimeoutMs fails every append in it, and is not sent again', {
    timeout: 30_000,
  }, async () => {
    const { store, schema, sent, close } = await storeWithRuns(['r', 'free'], 500);
    const holder = new pg.Client({ connectionString: db.server.connectionString });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
    // The first waits on the lock alone; the two behind it go together and wait on it too.
    const calls = [
      store.createWorkflowEvent({ run_id: 'r', event_type: 'alone' }),
      store.createWorkflowEvent({ run_id: 'free', event_type: 'together' }),
      store.createWorkflowEvent({ run_id: 'r', event_type: 'together' }),
    ];
    await Promise.allSettled(calls);
    await holder.query('ROLLBACK');
    await holder.end();
    for (const call of calls) {
      const error = await rejectsWith(call, 'BACKEND_FAILURE');
      assert.match(error.message, /the server cancelled the statement at statementTimeoutMs \(500 ms\)/);
    }
    assert.deepEqual(
      sent.map((s) => `${s.name} ${s.appends}`),
      ['alone 1', 'batch 2'],
    );
    assert.deepEqual(await store.listWorkflowEvents('free'), [], 'nothing of the cancelled statement is stored');
    assert.equal((await store.createWorkflowEvent({ run_id: 'r', event_type: 'after' })).sequence, 1);
    await close();
  });
});

// SQLite group commit: writes that arrive together share one transaction, each in its own savepoint, so a
// write that fails fails alone and the others in its batch commit.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { createSqliteStore } from '../../../src/backends/sqlite/index.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { rejectsWith } from '../../support/assertions.js';

let root: string;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-group-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

async function storeWithRuns(name: string, runs: string[]): Promise<{ store: IWorkflowStore; file: string }> {
  const file = path.join(root, `${name}.db`);
  const store = await createSqliteStore({ filename: file });
  for (const id of runs) await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
  return { store, file };
}

it('a failing write in a batch fails alone: the others commit, numbering goes on without a gap', async () => {
  const { store, file } = await storeWithRuns('batch', ['r1', 'r2', 'r3']);
  // A constraint only this test has: an event of type "refused" cannot be stored.
  const peek = new Database(file);
  peek.exec(`CREATE TRIGGER refuse BEFORE INSERT ON workflow_events WHEN NEW.event_type = 'refused'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  // All issued in one turn of the event loop: one batch.
  const calls = [
    store.createWorkflowEvent({ run_id: 'r1', event_type: 'a' }),
    store.deleteWorkflowRun('r2'),
    store.createWorkflowEvent({ run_id: 'r2', event_type: 'b' }),
    store.createWorkflowEvent({ run_id: 'r3', event_type: 'refused' }),
    store.createWorkflowEvent({ run_id: 'r3', event_type: 'node_completed', payload: { node_id: 'n', output: 1 } }),
    store.createWorkflowEvent({ run_id: 'r1', event_type: 'c' }),
  ];
  const settled = await Promise.allSettled(calls);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled'],
  );
  await rejectsWith(calls[2]!, 'RUN_NOT_FOUND');
  await rejectsWith(calls[3]!, 'BACKEND_FAILURE');
  assert.deepEqual(
    (await store.listWorkflowEvents('r1')).map((e) => [e.sequence, e.event_type]),
    [
      [1, 'a'],
      [2, 'c'],
    ],
  );
  // The refused event took no number and left nothing; the next one in the batch is 1.
  assert.deepEqual(
    (await store.listWorkflowEvents('r3')).map((e) => [e.sequence, e.event_type]),
    [[1, 'node_completed']],
  );
  assert.deepEqual([...(await store.getCompletedDagNodeOutputs('r3'))], [['n', 1]]);
  assert.equal((await store.createWorkflowEvent({ run_id: 'r3', event_type: 'after' })).sequence, 2);
  assert.equal(await store.getWorkflowRun('r2'), null);
  peek.close();
  await store.close();
});

it('writes that arrive together share one commit: the WAL grows far less than for them one by one', async () => {
  const runs = Array.from({ length: 8 }, (_, i) => `r${i}`);
  const { store, file } = await storeWithRuns('shared', runs);
  // Each commit appends its changed pages and a commit record to the WAL (no checkpoint runs this early).
  const wal = async () => (await fs.stat(`${file}-wal`)).size;
  const start = await wal();
  for (const run_id of runs) await store.createWorkflowEvent({ run_id, event_type: 'one-by-one' });
  const oneByOne = (await wal()) - start;
  const middle = await wal();
  await Promise.all(runs.map((run_id) => store.createWorkflowEvent({ run_id, event_type: 'together' })));
  const together = (await wal()) - middle;
  assert.ok(together * 3 < oneByOne, `8 writes together grew the WAL by ${together} bytes, one by one by ${oneByOne}`);
  for (const run_id of runs) assert.equal((await store.listWorkflowEvents(run_id)).length, 2);
  await store.close();
});

it('a commit that fails fails every call of its batch, and none of their writes is stored', async () => {
  const { store, file } = await storeWithRuns('busy', ['r1', 'r2']);
  await store.close();
  const waiting = await createSqliteStore({ filename: file, busyTimeoutMs: 50 });
  // Another connection holds the write lock: the batch cannot begin within busy_timeout.
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  const calls = ['r1', 'r2'].map((run_id) => waiting.createWorkflowEvent({ run_id, event_type: 'x' }));
  const settled = await Promise.allSettled(calls);
  holder.exec('ROLLBACK');
  assert.deepEqual(
    settled.map((s) => s.status),
    ['rejected', 'rejected'],
  );
  for (const run of ['r1', 'r2']) assert.deepEqual(await waiting.listWorkflowEvents(run), []);
  holder.close();
  await waiting.close();
});

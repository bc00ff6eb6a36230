// A fenced append on SQLite (WF-SEQ-4) checks the run inside the transaction that writes the event: a writer in
// another connection that changes the run first makes it refuse, as that writer left the run. And an update
// with many events (WF-UPD-5) numbers them from the run's counter in one transaction.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createSqliteStore } from '../../../src/backends/sqlite/index.js';
import type { CreateWorkflowEventOptions, IWorkflowStore } from '../../../src/contract/types.js';
import { rejectsWith } from '../../support/assertions.js';

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-conditions-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

/** A store with run "r" (running, claim "old"), and a second connection to the same file. */
async function opened(): Promise<{ store: IWorkflowStore; other: Database.Database; close(): Promise<void> }> {
  const filename = path.join(root, `case-${++n}.db`);
  const store = await createSqliteStore({ filename });
  await store.createWorkflowRun({
    id: 'r',
    workflow_name: 'w',
    user_message: '',
    status: 'running',
    metadata: { claim: 'old' },
  });
  const other = new Database(filename);
  return {
    store,
    other,
    async close() {
      other.close();
      await store.close();
    },
  };
}

/**
 * An append fenced by `options` while the other connection holds the write lock and has changed the run by `sql`:
 * it waits, then meets the run as the other connection committed it.
 */
async function appendWhileChanged(
  { store, other }: { store: IWorkflowStore; other: Database.Database },
  sql: string,
  options: CreateWorkflowEventOptions,
): Promise<{ append: Promise<unknown> }> {
  other.exec('BEGIN IMMEDIATE');
  other.exec(sql);
  const append = store.createWorkflowEvent({ run_id: 'r', event_type: 'late' }, options);
  append.catch(() => {});
  await sleep(150);
  other.exec('COMMIT');
  return { append };
}

describe('sqlite: fenced appends and events with an update', () => {
  it('a fenced append is checked against the run as a concurrent writer left it, not as it was before', async () => {
    const t = await opened();
    try {
      const claim = await appendWhileChanged(
        t,
        `UPDATE workflow_runs SET metadata = '{"claim":"new"}' WHERE id = 'r'`,
        { expected_metadata: { claim: 'old' } },
      );
      assert.equal((await rejectsWith(claim.append, 'STATUS_CONFLICT')).field, 'metadata.claim');
      const status = await appendWhileChanged(t, `UPDATE workflow_runs SET status = 'cancelled' WHERE id = 'r'`, {
        expected_status: 'running',
      });
      assert.equal((await rejectsWith(status.append, 'STATUS_CONFLICT')).field, 'status');
      assert.deepEqual(await t.store.listWorkflowEvents('r'), []);
      const fresh = await appendWhileChanged(
        t,
        `UPDATE workflow_runs SET metadata = '{"claim":"newer"}' WHERE id = 'r'`,
        {
          expected_status: 'cancelled',
          expected_metadata: { claim: 'newer' },
        },
      );
      assert.equal(((await fresh.append) as { sequence: number }).sequence, 1);
    } finally {
      await t.close();
    }
  });

  it('an update with 1,000 events numbers them after the log, each node keeping its latest output', async () => {
    const t = await opened();
    try {
      await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'first' });
      const events = Array.from({ length: 1000 }, (_, i) => ({
        event_type: 'node_completed',
        payload: { node_id: `n${i % 7}`, output: i },
      }));
      await t.store.updateWorkflowRun('r', { status: 'completed' }, { events, expected_metadata: { claim: 'old' } });
      const rows = t.other
        .prepare(`SELECT sequence, timestamp FROM workflow_events WHERE run_id = 'r' ORDER BY sequence`)
        .all() as {
        sequence: number;
        timestamp: string;
      }[];
      assert.deepEqual(
        rows.map((row) => row.sequence),
        Array.from({ length: 1001 }, (_, i) => i + 1),
      );
      assert.equal(t.other.prepare(`SELECT last_sequence FROM workflow_runs`).pluck().get(), 1001);
      const outputs = await t.store.getCompletedDagNodeOutputs('r');
      assert.deepEqual(
        [...outputs],
        [993, 994, 995, 996, 997, 998, 999].map((i) => [`n${i % 7}`, i]),
      );
    } finally {
      await t.close();
    }
  });
});

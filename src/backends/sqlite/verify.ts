// How `verifySqliteStore` reads the database (the checks are src/backends/sql/verify.ts): each run in one
// transaction, a deferred one (a snapshot; writers go on) or, to repair, BEGIN IMMEDIATE (writers wait).

import type Database from 'better-sqlite3';
import type { StoredEventRow } from '../sql/checksum.js';
import { type RunReader, type SqlStoreAccess, type StoredOutputRow, VERIFY_BATCH } from '../sql/verify.js';

export function sqliteAccess(db: Database.Database, filename: string): SqlStoreAccess {
  const runIds = db.prepare<[], string>('SELECT id FROM workflow_runs ORDER BY id').pluck();
  const last = db.prepare<[string], number>('SELECT last_sequence FROM workflow_runs WHERE id = ?').pluck();
  const events = db.prepare<[string, number, number], StoredEventRow>(
    `SELECT run_id, sequence, event_type, timestamp, payload, checksum FROM workflow_events
     WHERE run_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`,
  );
  const outputs = db.prepare<[string], StoredOutputRow>(
    'SELECT node_id, sequence, output FROM workflow_node_outputs WHERE run_id = ? ORDER BY sequence',
  );
  const clear = db.prepare<[string]>('DELETE FROM workflow_node_outputs WHERE run_id = ?');
  const insert = db.prepare<[string, string, string, number]>(
    'INSERT INTO workflow_node_outputs (run_id, node_id, output, sequence) VALUES (?, ?, ?, ?)',
  );
  const reader = (runId: string): RunReader => ({
    lastSequence: async () => last.get(runId),
    eventsAfter: async (after) => events.all(runId, after, VERIFY_BATCH),
    outputs: async () => outputs.all(runId),
    async replaceOutputs(rows) {
      clear.run(runId);
      for (const row of rows) insert.run(runId, row.node_id, row.output, row.sequence);
    },
  });
  return {
    backend: 'sqlite',
    location: `the SQLite database ${filename}`,
    runIds: async () => runIds.all(),
    async inRun(runId, hold, check) {
      db.exec(hold ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        const result = await check(reader(runId));
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

// Every statement the SQLite driver runs, prepared once per connection.

import type Database from 'better-sqlite3';
import { type RunRow, runColumns } from '../sql/rows.js';

export interface EventRow {
  run_id: string;
  sequence: number;
  event_type: string;
  timestamp: string;
  payload: string;
}

const RUN_COLUMNS = runColumns();

type Statement<P extends unknown[] | Record<string, unknown>, R = unknown> = Database.Statement<P, R>;

export interface Queries {
  insertRun: Statement<[string, string, string, string, string, string, string]>;
  getRun: Statement<[string], RunRow>;
  listRuns: Statement<{ status: string | null; workflow_name: string | null; limit: number }, RunRow>;
  updateRun: Statement<[string, string, string, string]>;
  deleteRun: Statement<[string]>;
  runExists: Statement<[string], { found: 1 }>;
  lastSequence: Statement<{ run: string }, { found: 1 | null; last: number }>;
  insertEvent: Statement<[string, number, string, string, string]>;
  upsertOutput: Statement<[string, string, string, number]>;
  listEvents: Statement<[string, number, number], EventRow>;
  outputs: Statement<[string], { node_id: string; output: string }>;
}

export function prepareQueries(db: Database.Database): Queries {
  return {
    insertRun: db.prepare<[string, string, string, string, string, string, string]>(
      `INSERT INTO workflow_runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    getRun: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM workflow_runs WHERE id = ?`),
    listRuns: db.prepare<{ status: string | null; workflow_name: string | null; limit: number }, RunRow>(
      `SELECT ${RUN_COLUMNS} FROM workflow_runs
       WHERE (@status IS NULL OR status = @status) AND (@workflow_name IS NULL OR workflow_name = @workflow_name)
       ORDER BY created_at, id LIMIT @limit`,
    ),
    updateRun: db.prepare<[string, string, string, string]>(
      `UPDATE workflow_runs SET status = ?, metadata = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
    ),
    deleteRun: db.prepare<[string]>(`DELETE FROM workflow_runs WHERE id = ?`),
    runExists: db.prepare<[string], { found: 1 }>(`SELECT 1 AS found FROM workflow_runs WHERE id = ?`),
    // Read under BEGIN IMMEDIATE: SQLite's single write lock is held, so no other writer (in any
    // process) can take the same number before the insert.
    // One statement for both: does the run exist, and what is its last sequence.
    lastSequence: db.prepare<{ run: string }, { found: 1 | null; last: number }>(
      `SELECT (SELECT 1 FROM workflow_runs WHERE id = @run) AS found,
              (SELECT coalesce(max(sequence), 0) FROM workflow_events WHERE run_id = @run) AS last`,
    ),
    insertEvent: db.prepare<[string, number, string, string, string]>(
      `INSERT INTO workflow_events (run_id, sequence, event_type, timestamp, payload) VALUES (?, ?, ?, ?, ?)`,
    ),
    upsertOutput: db.prepare<[string, string, string, number]>(
      `INSERT INTO workflow_node_outputs (run_id, node_id, output, sequence) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, node_id) DO UPDATE SET output = excluded.output, sequence = excluded.sequence`,
    ),
    listEvents: db.prepare<[string, number, number], EventRow>(
      `SELECT run_id, sequence, event_type, timestamp, payload FROM workflow_events
       WHERE run_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`,
    ),
    outputs: db.prepare<[string], { node_id: string; output: string }>(
      `SELECT node_id, output FROM workflow_node_outputs WHERE run_id = ? ORDER BY sequence`,
    ),
  };
}

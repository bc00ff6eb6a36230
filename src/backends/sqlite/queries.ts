// Every statement the SQLite driver runs, prepared once per connection.

import type Database from 'better-sqlite3';
import type { ListRunsRequest } from '../../contract/validation.js';
import type { StoredEventRow } from '../sql/checksum.js';
import type { Nullable, OutputRow } from '../sql/integrity.js';
import { runListing } from '../sql/list-runs.js';
import { type RunRow, runColumns } from '../sql/rows.js';

/** A run's last_sequence and its row with the highest sequence (null columns when it has none). */
export type RunState = { last: number } & Nullable<StoredEventRow>;

const EVENT_COLUMNS = 'run_id, sequence, event_type, timestamp, payload, checksum';

const RUN_COLUMNS = runColumns();

/** Event rows one `insertEvents` statement inserts (an import's log goes in this many at a time). */
export const IMPORT_ROWS = 50;

type Statement<P extends unknown[] | Record<string, unknown>, R = unknown> = Database.Statement<P, R>;

export interface Queries {
  insertRun: Statement<[string, string, string, string, string, string, string]>;
  getRun: Statement<[string], RunRow>;
  /** What a fenced append checks (WF-SEQ-4). */
  runConditions: Statement<[string], { status: string; metadata: string }>;
  updateRun: Statement<[string, string, string, string]>;
  deleteRun: Statement<[string]>;
  runState: Statement<[string], RunState>;
  setLastSequence: Statement<[number, string]>;
  insertEvent: Statement<[string, number, string, string, string, string]>;
  insertEvents: Statement<unknown[]>;
  upsertOutput: Statement<[string, string, string, number]>;
  listEvents: Statement<[string, number, number], StoredEventRow>;
  outputs: Statement<[string], OutputRow>;
}

export function prepareQueries(db: Database.Database): Queries {
  return {
    insertRun: db.prepare<[string, string, string, string, string, string, string]>(
      `INSERT INTO workflow_runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    getRun: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM workflow_runs WHERE id = ?`),
    runConditions: db.prepare<[string], { status: string; metadata: string }>(
      'SELECT status, metadata FROM workflow_runs WHERE id = ?',
    ),
    updateRun: db.prepare<[string, string, string, string]>(
      `UPDATE workflow_runs SET status = ?, metadata = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
    ),
    deleteRun: db.prepare<[string]>(`DELETE FROM workflow_runs WHERE id = ?`),
    // Under BEGIN IMMEDIATE (an append) SQLite's single write lock is held, so no other writer (in any
    // process) can take the same number before the insert; in a read, one snapshot with the rows read.
    // One statement: does the run exist, its last sequence, and its last row (to check before going on).
    runState: db.prepare<[string], RunState>(
      `SELECT r.last_sequence AS last, e.run_id, e.sequence, e.event_type, e.timestamp, e.payload, e.checksum
       FROM workflow_runs r
       LEFT JOIN workflow_events e
         ON e.run_id = r.id AND e.sequence = (SELECT max(sequence) FROM workflow_events WHERE run_id = r.id)
       WHERE r.id = ?`,
    ),
    setLastSequence: db.prepare<[number, string]>(`UPDATE workflow_runs SET last_sequence = ? WHERE id = ?`),
    insertEvent: db.prepare<[string, number, string, string, string, string]>(
      `INSERT INTO workflow_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertEvents: db.prepare<unknown[]>(
      `INSERT INTO workflow_events (${EVENT_COLUMNS})
       VALUES ${Array(IMPORT_ROWS).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
    ),
    upsertOutput: db.prepare<[string, string, string, number]>(
      `INSERT INTO workflow_node_outputs (run_id, node_id, output, sequence) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, node_id) DO UPDATE SET output = excluded.output, sequence = excluded.sequence`,
    ),
    listEvents: db.prepare<[string, number, number], StoredEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM workflow_events WHERE run_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`,
    ),
    // Each output with the event it was recorded with, to be checked against it.
    outputs: db.prepare<[string], OutputRow>(
      `SELECT o.node_id, o.sequence AS output_sequence, o.output,
              e.run_id, e.sequence, e.event_type, e.timestamp, e.payload, e.checksum
       FROM workflow_node_outputs o
       LEFT JOIN workflow_events e ON e.run_id = o.run_id AND e.sequence = o.sequence
       WHERE o.run_id = ? ORDER BY o.sequence`,
    ),
  };
}

/** listWorkflowRuns: a statement per shape of request (sql/list-runs.ts), prepared on first use. */
export function runLister(db: Database.Database): (request: ListRunsRequest) => RunRow[] {
  const prepared = new Map<string, Statement<Record<string, unknown>, RunRow>>();
  return (request) => {
    const { shape, text, parameters } = listRunsSql(request);
    let statement = prepared.get(shape);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>, RunRow>(text);
      prepared.set(shape, statement);
    }
    return statement.all(parameters);
  };
}

/** A listing's statement and its named parameters (@p1, @p2, …: a filter's value is used twice). */
export function listRunsSql(request: ListRunsRequest): {
  shape: string;
  text: string;
  parameters: Record<string, unknown>;
} {
  const { shape, clauses, values } = runListing(request, {
    placeholder: (i) => `@p${i}`,
    noLimit: -1,
    range: 'equality',
  });
  const parameters = Object.fromEntries(values.map((value, i) => [`p${i + 1}`, value]));
  return { shape, text: `SELECT ${RUN_COLUMNS} FROM workflow_runs r ${clauses}`, parameters };
}

// A run as both SQL backends store it: the columns they read and write, and the row mapped to the contract's run.

import type { JsonObject, WorkflowRun } from '../../contract/types.js';
import type { NewRunRecord } from '../define-store.js';

/** The columns of workflow_runs that make a run, in table order. */
const RUN_FIELDS = ['id', 'workflow_name', 'status', 'user_message', 'metadata', 'created_at', 'updated_at'] as const;
const TIMESTAMPS: readonly string[] = ['created_at', 'updated_at'];

/**
 * The run's columns, as a list to insert into or to select. `timestamp` makes a timestamp column read as
 * ISO text under its own name (PostgreSQL stores timestamptz; SQLite stores the text itself).
 */
export function runColumns(timestamp: (column: string) => string = (column) => column): string {
  return RUN_FIELDS.map((field) => (TIMESTAMPS.includes(field) ? timestamp(field) : field)).join(', ');
}

/**
 * A run's values for runColumns(), in its order. A new run's `updated_at` is its `created_at`; an imported
 * run brings its own.
 */
export function newRunValues(
  record: NewRunRecord & { updated_at?: string },
): [string, string, string, string, string, string, string] {
  const { id, workflow_name, status, user_message, metadataJson, created_at } = record;
  return [id, workflow_name, status, user_message, metadataJson, created_at, record.updated_at ?? created_at];
}

/** A run row as the drivers read it (runColumns()). */
export interface RunRow {
  id: string;
  workflow_name: string;
  /** One of RUN_STATUSES: the column's STATUS_CHECK admits nothing else. */
  status: string;
  user_message: string;
  /** JSON text on SQLite; already parsed on PostgreSQL (the driver parses json columns). */
  metadata: string | JsonObject;
  created_at: string;
  updated_at: string;
}

/** The run a row holds, as the contract returns it (a fresh object). */
export function toRun(row: RunRow): WorkflowRun {
  return {
    id: row.id,
    workflow_name: row.workflow_name,
    status: row.status as WorkflowRun['status'],
    user_message: row.user_message,
    metadata: typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as JsonObject) : row.metadata,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

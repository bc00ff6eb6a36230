// The SQLite tables, and how SQLite runs their migration (src/backends/sql/schema.ts).
// Columns match the PostgreSQL backend one for one (a test compares them).

import type Database from 'better-sqlite3';
import { eventChecksum, type StoredEventRow } from '../sql/checksum.js';
import { type Migrations, STATUS_CHECK, type SchemaDialect } from '../sql/schema.js';

/** The checksum as an SQL function of the connection, for the migration that fills the column. */
const CHECKSUM_FUNCTION = 'wfstore_checksum';

/** Step i takes the database from version i to i + 1 (a test builds a version-1 database from step 0). */
export const MIGRATIONS = [
  `
  CREATE TABLE wfstore_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE workflow_runs (
    id TEXT PRIMARY KEY,
    workflow_name TEXT NOT NULL,
    status TEXT NOT NULL ${STATUS_CHECK},
    user_message TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The run's last sequence, raised by every append in its transaction (on SQLite from schema version 2;
    -- version 1 left it at 0): a log that ends before it has lost rows. On PostgreSQL also the append
    -- counter whose row lock queues concurrent appenders.
    last_sequence INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every update. PostgreSQL writes a metadata merge only if it is still the one read
    -- (optimistic compare-and-set); SQLite bumps it too but never reads it (its updates hold the write lock).
    revision INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX workflow_runs_by_created ON workflow_runs (created_at, id);
  CREATE INDEX workflow_runs_by_status ON workflow_runs (status, created_at, id);
  CREATE TABLE workflow_events (
    run_id TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    sequence INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (run_id, sequence)
  );
  CREATE TABLE workflow_node_outputs (
    run_id TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    node_id TEXT NOT NULL,
    output TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (run_id, node_id)
  ) WITHOUT ROWID; -- one B-tree, not a table and an index: the output upsert is on every completion
  `,
  // Version 2: each event row's checksum (src/backends/sql/checksum.ts), computed here by the JavaScript
  // function the connection registers, and last_sequence kept as PostgreSQL keeps it: set from the rows
  // already there, then raised by every append in its transaction. ('' is no checksum: a row written by an
  // older wfstore still running fails its check rather than passing unchecked.)
  `
  ALTER TABLE workflow_events ADD COLUMN checksum TEXT NOT NULL DEFAULT '';
  UPDATE workflow_events SET checksum = ${CHECKSUM_FUNCTION}(run_id, sequence, event_type, timestamp, payload);
  UPDATE workflow_runs
    SET last_sequence = coalesce((SELECT max(sequence) FROM workflow_events WHERE run_id = workflow_runs.id), 0);
  `,
  // Version 3: pages of one workflow's runs, and of one workflow's runs in one status, read from an index in
  // listing order (src/backends/sql/list-runs.ts), as pages of one status do from workflow_runs_by_status.
  // The columns compare as BINARY (code units).
  `
  CREATE INDEX workflow_runs_by_workflow ON workflow_runs (workflow_name, created_at, id);
  CREATE INDEX workflow_runs_by_workflow_status ON workflow_runs (workflow_name, status, created_at, id);
  `,
] as const satisfies Migrations;

/**
 * The database's tables through SQLite: BEGIN IMMEDIATE takes the write lock, so one opener migrates at a time.
 * `opened` names the opener and the file, as a refusal says it: `createSqliteStore: ./w.db`.
 */
export function sqliteSchema(db: Database.Database, opened: string): SchemaDialect {
  db.function(CHECKSUM_FUNCTION, { deterministic: true }, (run_id, sequence, event_type, timestamp, payload) =>
    eventChecksum({ run_id, sequence, event_type, timestamp, payload } as Omit<StoredEventRow, 'checksum'>),
  );
  return {
    opened,
    container: 'database',
    migrations: MIGRATIONS,
    metaTable: 'wfstore_meta',
    hasMetaTable: async () =>
      db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wfstore_meta'`).get() !== undefined,
    run: async (sql) => void db.exec(sql),
    rows: async <R>(sql: string) => db.prepare(sql).all() as R[],
    begin: async () => void db.exec('BEGIN IMMEDIATE'),
  };
}

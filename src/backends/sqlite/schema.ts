// The SQLite tables, and how SQLite runs their migration (src/backends/sql/schema.ts).
// Columns match the PostgreSQL backend one for one (a test compares them).

import type Database from 'better-sqlite3';
import { type Migrations, STATUS_CHECK, type SchemaDialect } from '../sql/schema.js';

const MIGRATIONS = [
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
    -- PostgreSQL's per-run append counter: its append increments it, and the row lock that takes queues
    -- concurrent appenders. SQLite numbers appends from max(sequence) under its database write lock
    -- (BEGIN IMMEDIATE) and leaves this at 0.
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
] as const satisfies Migrations;

/** The database's tables through SQLite: BEGIN IMMEDIATE takes the write lock, so one opener migrates at a time. */
export function sqliteSchema(db: Database.Database, filename: string): SchemaDialect {
  return {
    opened: `createSqliteStore: ${filename}`,
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

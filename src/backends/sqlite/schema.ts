// The SQLite schema and its versions. MIGRATIONS[i] takes a database from version i to i + 1.
// Columns match the PostgreSQL backend one for one (a test compares them).

import type Database from 'better-sqlite3';
import { StoreOpenError } from '../../contract/errors.js';
import { RUN_STATUSES } from '../../contract/types.js';

const STATUS_CHECK = `CHECK (status IN (${RUN_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

export const MIGRATIONS: readonly string[] = [
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
    -- PostgreSQL's per-run append counter (its row lock orders concurrent appends). SQLite numbers
    -- appends from max(sequence) under its database write lock and leaves this at 0.
    last_sequence INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every update, for compare-and-set on the whole row.
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Reads the recorded version, refuses a newer one untouched, and applies what is missing in one transaction. */
export function migrate(db: Database.Database, filename: string): void {
  db.transaction(() => {
    const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wfstore_meta'`).get();
    const row = hasMeta
      ? (db.prepare(`SELECT value FROM wfstore_meta WHERE key = 'schema_version'`).get() as
          | { value: string }
          | undefined)
      : undefined;
    const version = row === undefined ? 0 : Number(row.value);
    if (!Number.isSafeInteger(version) || version > SCHEMA_VERSION) {
      throw new StoreOpenError(
        `createSqliteStore: ${filename} has wfstore schema version ${row?.value}, newer than this wfstore reads (${SCHEMA_VERSION}); ` +
          'upgrade wfstore to open it. The database was not changed.',
      );
    }
    for (let from = version; from < SCHEMA_VERSION; from++) db.exec(MIGRATIONS[from]!);
    if (version < SCHEMA_VERSION) {
      db.prepare(
        `INSERT INTO wfstore_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ).run(String(SCHEMA_VERSION));
    }
  }).immediate();
}

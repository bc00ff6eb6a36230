// The PostgreSQL tables, and how PostgreSQL runs their migration (src/backends/sql/schema.ts): the same
// tables and columns as SQLite, in a chosen schema. JSON columns are `json`, not `jsonb`: json keeps the
// text as sent, so key order, "\u0000" and lone surrogate escapes come back exactly; jsonb would reorder
// keys and refuse both escapes.

import { postgresChecksumSql } from './checksum-sql.js';
import { type Migrations, STATUS_CHECK, type SchemaDialect } from '../sql/schema.js';
import { iso } from './queries.js';
import type { Session } from './timeouts.js';

/** Step i takes the schema from version i to i + 1; `S` is the quoted schema name. */
export const migrations = (S: string): Migrations =>
  [
    `
  CREATE SCHEMA IF NOT EXISTS ${S};
  CREATE TABLE ${S}.wfstore_meta (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  CREATE TABLE ${S}.workflow_runs (
    id text COLLATE "C" PRIMARY KEY,
    workflow_name text NOT NULL,
    status text NOT NULL ${STATUS_CHECK},
    user_message text NOT NULL,
    metadata json NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- The run's append counter: an append increments it in the same statement, and the row lock that
    -- takes queues concurrent appenders on any connection. A log that ends before it has lost rows.
    -- (SQLite keeps it too from schema version 2.)
    last_sequence bigint NOT NULL DEFAULT 0,
    -- Bumped by every update: a metadata merge is written only if it is still the one read (optimistic
    -- compare-and-set). (SQLite bumps it too but never reads it: its updates hold the write lock.)
    revision bigint NOT NULL DEFAULT 0
  );
  CREATE INDEX workflow_runs_by_created ON ${S}.workflow_runs (created_at, id);
  CREATE INDEX workflow_runs_by_status ON ${S}.workflow_runs (status, created_at, id);
  CREATE TABLE ${S}.workflow_events (
    run_id text COLLATE "C" NOT NULL REFERENCES ${S}.workflow_runs (id) ON DELETE CASCADE,
    sequence bigint NOT NULL,
    event_type text NOT NULL,
    timestamp timestamptz NOT NULL,
    payload json NOT NULL,
    PRIMARY KEY (run_id, sequence)
  );
  CREATE TABLE ${S}.workflow_node_outputs (
    run_id text COLLATE "C" NOT NULL REFERENCES ${S}.workflow_runs (id) ON DELETE CASCADE,
    node_id text COLLATE "C" NOT NULL,
    output json NOT NULL,
    sequence bigint NOT NULL,
    PRIMARY KEY (run_id, node_id)
  );
  `,
    // Version 2: each event row's checksum (src/backends/sql/checksum.ts), filled here by the same function
    // in SQL. last_sequence was already this backend's append counter. ('' is no checksum: a row written by
    // an older wfstore still running fails its check rather than passing unchecked.)
    `
  ALTER TABLE ${S}.workflow_events ADD COLUMN checksum text NOT NULL DEFAULT '';
  UPDATE ${S}.workflow_events e SET checksum = ${postgresChecksumSql('e', iso)};
  `,
    // Version 3: pages of one workflow's runs, and of one workflow's runs in one status, read from an index in
    // listing order (src/backends/sql/list-runs.ts), as pages of one status do from workflow_runs_by_status.
    // Built in the migration's transaction: writes to the runs wait for it (seconds for a million runs).
    `
  CREATE INDEX workflow_runs_by_workflow ON ${S}.workflow_runs (workflow_name, created_at, id);
  CREATE INDEX workflow_runs_by_workflow_status ON ${S}.workflow_runs (workflow_name, status, created_at, id);
  `,
  ] as const;

/**
 * The schema's tables through one connection: the migration's transaction takes an advisory lock on the
 * schema's name first, so one opener migrates it at a time. `quoted` is the schema name quoted.
 */
export function postgresSchema(session: Session, schema: string, quoted: string): SchemaDialect {
  const metaTable = `${quoted}.wfstore_meta`;
  return {
    opened: `createPostgresStore: schema "${schema}"`,
    container: 'schema',
    migrations: migrations(quoted),
    metaTable,
    async hasMetaTable() {
      const { rows } = await session.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [
        metaTable,
      ]);
      return rows[0]?.found != null;
    },
    run: async (sql) => void (await session.query(sql)),
    rows: async <R>(sql: string) => (await session.query(sql)).rows as R[],
    async begin() {
      await session.query('BEGIN');
      await session.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wfstore:${schema}`]);
    },
  };
}

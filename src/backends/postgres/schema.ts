// The PostgreSQL schema and its versions: the same tables and columns as SQLite, in a chosen schema.
// JSON columns are `json`, not `jsonb`: json keeps the text as sent, so key order, "\u0000" and lone
// surrogate escapes come back exactly; jsonb would reorder keys and refuse both escapes.

import { StoreOpenError } from '../../contract/errors.js';
import { RUN_STATUSES } from '../../contract/types.js';
import type { Session } from './timeouts.js';

const STATUS_CHECK = `CHECK (status IN (${RUN_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

/** MIGRATIONS[i] takes a schema from version i to i + 1; `S` is the quoted schema name. */
export const MIGRATIONS: readonly ((S: string) => string)[] = [
  (S) => `
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
    last_sequence bigint NOT NULL DEFAULT 0,
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates the schema if missing and migrates it forward, one opener at a time (an advisory lock), in
 * one transaction. A schema from a newer wfstore is refused and rolled back untouched.
 */
export async function migrate(client: Session, schema: string, quoted: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wfstore:${schema}`]);
    const { rows } = await client.query<{ found: string | null }>(`SELECT to_regclass($1)::text AS found`, [
      `${quoted}.wfstore_meta`,
    ]);
    let version = 0;
    if (rows[0]?.found != null) {
      const meta = await client.query<{ value: string }>(
        `SELECT value FROM ${quoted}.wfstore_meta WHERE key = 'schema_version'`,
      );
      version = meta.rows[0] === undefined ? 0 : Number(meta.rows[0].value);
      if (!Number.isSafeInteger(version) || version > SCHEMA_VERSION) {
        throw new StoreOpenError(
          `createPostgresStore: schema "${schema}" has wfstore schema version ${meta.rows[0]?.value}, newer than this ` +
            `wfstore reads (${SCHEMA_VERSION}); upgrade wfstore to open it. The schema was not changed.`,
        );
      }
    }
    if (version < SCHEMA_VERSION) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      for (let from = version; from < SCHEMA_VERSION; from++) await client.query(MIGRATIONS[from]!(quoted));
      await client.query(
        `INSERT INTO ${quoted}.wfstore_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [String(SCHEMA_VERSION)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

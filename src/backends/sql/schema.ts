// The schema versioning both SQL backends share: the version table, the refusal of a newer version,
// and the forward migration. A dialect supplies its DDL and how it runs a statement and a transaction.

import { StoreOpenError } from '../../contract/errors.js';
import { RUN_STATUSES } from '../../contract/types.js';

/**
 * The version of the tables this wfstore writes; the same on every dialect (the same tables and columns).
 * 1: the tables. 2: each event row's checksum (`workflow_events.checksum`, see checksum.ts), filled for the rows
 * already there, and `workflow_runs.last_sequence` kept by SQLite too (set from the rows already there).
 * 3: the indexes `workflow_runs_by_workflow` (workflow_name, created_at, id) and `workflow_runs_by_workflow_status`
 * (workflow_name, status, created_at, id), for pages of one workflow's runs (WF-RUN-7, list-runs.ts).
 */
export const SCHEMA_VERSION = 3;

/** A dialect's DDL: step i takes the tables from version i to i + 1, one step per version. */
export type Migrations = readonly string[] & { readonly length: typeof SCHEMA_VERSION };

/** The run statuses the `status` column accepts, as a column constraint. */
export const STATUS_CHECK = `CHECK (status IN (${RUN_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

/** What a dialect supplies for its tables to be created and migrated. */
export interface SchemaDialect {
  /** The factory and what it opened, as refusals name it: `createSqliteStore: ./w.db`. */
  readonly opened: string;
  /** What a refusal leaves untouched: the SQLite database, the PostgreSQL schema. */
  readonly container: 'database' | 'schema';
  readonly migrations: Migrations;
  /** The version table as statements name it (qualified by its schema where there is one). */
  readonly metaTable: string;
  hasMetaTable(): Promise<boolean>;
  /** Runs statements that return nothing; a migration step may hold several. */
  run(sql: string): Promise<void>;
  rows<R>(sql: string): Promise<R[]>;
  /** Opens the migration's transaction so that other openers wait for it to end. */
  begin(): Promise<void>;
}

/**
 * Reads the recorded version, refuses a newer one untouched (StoreOpenError) and applies the missing
 * steps, all in one transaction that other openers wait for.
 */
export async function migrate(dialect: SchemaDialect): Promise<void> {
  try {
    await dialect.begin();
    const version = await recordedVersion(dialect);
    for (let from = version; from < SCHEMA_VERSION; from++) await dialect.run(dialect.migrations[from]!);
    if (version < SCHEMA_VERSION) {
      await dialect.run(
        `INSERT INTO ${dialect.metaTable} (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      );
    }
    await dialect.run('COMMIT');
  } catch (error) {
    await dialect.run('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** 0 for tables not created yet; a version newer than this wfstore's is refused. */
async function recordedVersion(dialect: SchemaDialect): Promise<number> {
  if (!(await dialect.hasMetaTable())) return 0;
  const [row] = await dialect.rows<{ value: string }>(
    `SELECT value FROM ${dialect.metaTable} WHERE key = 'schema_version'`,
  );
  const version = row === undefined ? 0 : Number(row.value);
  if (!Number.isSafeInteger(version) || version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      `${dialect.opened} has wfstore schema version ${row?.value}, ` +
        `newer than this wfstore reads (${SCHEMA_VERSION}); ` +
        `upgrade wfstore to open it. The ${dialect.container} was not changed.`,
    );
  }
  return version;
}

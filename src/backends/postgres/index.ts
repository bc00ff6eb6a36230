import pg from 'pg';
import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { PostgresDriver } from './driver.js';
import { buildQueries } from './queries.js';
import { migrate } from './schema.js';

export interface PostgresStoreOptions extends DeterminismOptions {
  /** A libpq URL; the store makes its own pool and ends it on close(). */
  connectionString?: string | undefined;
  /** A pool you own: the store uses it and leaves it open on close(). Give this or connectionString. */
  pool?: pg.Pool | undefined;
  /** Schema for the tables, created if missing. Default "public". */
  schema?: string | undefined;
  /** Size of the pool the store makes from connectionString. Default 10. */
  maxConnections?: number | undefined;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function createPostgresStore(options: PostgresStoreOptions): Promise<IWorkflowStore> {
  const hasUrl = typeof options?.connectionString === 'string' && options.connectionString !== '';
  if (hasUrl === (options?.pool !== undefined)) {
    throw new StoreOpenError('createPostgresStore: give exactly one of connectionString and pool');
  }
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreOpenError(
      `createPostgresStore: schema ${JSON.stringify(schema)} must be 1 to 63 of letters, digits and "_", not starting with a digit`,
    );
  }
  const ownPool = options.pool === undefined;
  const pool =
    options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (server restart) is reported here; without a listener it would crash
  // the process. The pool drops it and the next call connects afresh.
  if (ownPool) pool.on('error', () => {});
  const quoted = pg.Client.prototype.escapeIdentifier(schema);
  try {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
      if (rows[0]?.server_encoding !== 'UTF8') {
        throw new StoreOpenError(
          `createPostgresStore: the database encoding is ${rows[0]?.server_encoding}; wfstore needs UTF8`,
        );
      }
      await migrate(client, schema, quoted);
    } finally {
      client.release();
    }
  } catch (error) {
    if (ownPool) await pool.end().catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`createPostgresStore: cannot open schema "${schema}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  return defineStore(new PostgresDriver(pool, buildQueries(schema, quoted), ownPool), options);
}

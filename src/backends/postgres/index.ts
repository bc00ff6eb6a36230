import pg from './pg.js';
import { StoreOpenError } from '../../contract/errors.js';
import type { IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { migrate } from '../sql/schema.js';
import { readDeterminismOptions } from '../factory-options.js';
import { PostgresDriver } from './driver.js';
import { type PostgresStoreOptions, readOptions } from './options.js';
import { openPool } from './pool.js';
import { buildQueries } from './queries.js';
import { postgresSchema } from './schema.js';
import { boundedSession, explainTimeout } from './timeouts.js';

export type { PostgresStoreOptions } from './options.js';

export async function createPostgresStore(options: PostgresStoreOptions): Promise<IWorkflowStore> {
  // now and generateId are checked before anything connects (defineStore would, once connected).
  readDeterminismOptions('createPostgresStore', options);
  const { source, schema, bounds } = readOptions(options);
  const connections = openPool(source, bounds);
  const quoted = pg.Client.prototype.escapeIdentifier(schema);
  try {
    const client = await connections.pool.connect();
    try {
      const session = boundedSession(client, bounds);
      const { rows } = await session.query<{ server_encoding: string }>('SHOW server_encoding');
      if (rows[0]?.server_encoding !== 'UTF8') {
        throw new StoreOpenError(
          `createPostgresStore: the database encoding is ${rows[0]?.server_encoding}; wfstore needs UTF8`,
        );
      }
      await migrate(postgresSchema(session, schema, quoted));
      client.release();
    } catch (error) {
      // A connection that failed mid-statement may still have a request in the air: never reuse it.
      client.release(true);
      throw error;
    }
  } catch (error) {
    await connections.end().catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    const reason = explainTimeout(error, bounds) as Error;
    throw new StoreOpenError(`createPostgresStore: cannot open schema "${schema}": ${reason.message}`, {
      cause: error,
    });
  }
  return defineStore(
    new PostgresDriver(connections, buildQueries(schema, quoted, bounds.queryTimeoutMs), bounds),
    options,
  );
}

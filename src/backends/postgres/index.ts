import pg from './pg.js';
import { StoreOpenError } from '../../contract/errors.js';
import type { IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { migrate, SCHEMA_VERSION, type SchemaDialect } from '../sql/schema.js';
import { verifySqlStore } from '../sql/verify.js';
import type { VerifyOptions, VerifyReport } from '../verify.js';
import { serverOf } from './descriptor.js';
import { readDeterminismOptions } from '../factory-options.js';
import { PostgresDriver } from './driver.js';
import { type Bounds, type PostgresStoreOptions, readOptions } from './options.js';
import { borrow, openPool, type StorePool } from './pool.js';
import { buildQueries } from './queries.js';
import { postgresSchema } from './schema.js';
import { StatementNaming } from './statements.js';
import { boundedSession, explainTimeout, type Session } from './timeouts.js';
import { postgresAccess } from './verify.js';

export type { PostgresPool, PostgresPoolClient, PostgresStoreOptions } from './options.js';

export async function createPostgresStore(options: PostgresStoreOptions): Promise<IWorkflowStore> {
  // now and generateId are checked before anything connects (defineStore would, once connected).
  readDeterminismOptions('createPostgresStore', options);
  const { source, schema, bounds, statements } = readOptions(options);
  const connections = openPool(source, bounds);
  const opener = 'createPostgresStore';
  const quoted = pg.Client.prototype.escapeIdentifier(schema);
  await opened(opener, schema, bounds, connections, (session) =>
    prepareSchema(opener, session, postgresSchema(session, schema, quoted)),
  );
  return defineStore(
    new PostgresDriver(
      connections,
      buildQueries(quoted, bounds.queryTimeoutMs),
      bounds,
      new StatementNaming(statements),
    ),
    options,
  );
}

/**
 * Checks every run of the schema (docs/contract.md, WF-DUR-2): each run's rows are sequences 1 to its
 * last_sequence with no gap, each row's checksum holds, and its node outputs are each node's latest completion
 * in the log. With `repair`, a run's outputs are rebuilt from its log when the log is intact (the run's row
 * locked meanwhile); events are never changed. Opening migrates the schema forward, as a store would; a
 * schema without wfstore's tables is refused, not created.
 */
export async function verifyPostgresStore(
  options: { connectionString: string; schema?: string | undefined },
  verify: VerifyOptions,
): Promise<VerifyReport> {
  const { connectionString, schema: given } = options;
  const { source, schema, bounds } = readOptions({ connectionString, schema: given, maxConnections: 1 });
  const connections = openPool(source, bounds);
  const opener = 'verifyPostgresStore';
  const quoted = pg.Client.prototype.escapeIdentifier(schema);
  await opened(opener, schema, bounds, connections, async (session) => {
    const dialect = postgresSchema(session, schema, quoted);
    if (!(await dialect.hasMetaTable())) {
      throw new StoreOpenError(`${opener}: schema "${schema}" holds no wfstore tables; nothing to verify`);
    }
    await prepareSchema(opener, session, dialect);
  });
  const { client, done } = await borrow(connections.pool);
  try {
    const where = `schema "${schema}" on ${serverOf(connectionString)}`;
    return await verifySqlStore(postgresAccess(client, quoted, bounds, where), verify);
  } finally {
    done(true);
    await connections.end();
  }
}

/**
 * Runs `use` on one connection of the pool: any failure is a StoreOpenError naming `opener`, and the pool
 * is ended. The connection goes back to the pool only when `use` succeeded.
 */
async function opened(
  opener: string,
  schema: string,
  bounds: Bounds,
  connections: StorePool,
  use: (session: Session) => Promise<void>,
): Promise<void> {
  try {
    const { client, done } = await borrow(connections.pool);
    const session = boundedSession(client, bounds);
    try {
      await use(session);
      done(session.spoiled());
    } catch (error) {
      // A connection that failed mid-statement may still have a request in the air: never reuse it.
      done(true);
      throw error;
    }
  } catch (error) {
    await connections.end().catch(() => {});
    if (error instanceof StoreOpenError) throw error;
    const reason = explainTimeout(error, bounds) as Error;
    throw new StoreOpenError(`${opener}: cannot open schema "${schema}": ${reason.message}`, { cause: error });
  }
}

/**
 * Refuses a database that is not UTF8, and migrates the schema forward. A schema already at this version (every
 * open but the first) costs one round trip: only a migration takes the lock and the transaction.
 */
async function prepareSchema(opener: string, session: Session, dialect: SchemaDialect): Promise<void> {
  const { encoding, version } = await schemaState(session, dialect.metaTable);
  if (encoding !== 'UTF8') {
    throw new StoreOpenError(`${opener}: the database encoding is ${encoding}; wfstore needs UTF8`);
  }
  if (version !== String(SCHEMA_VERSION)) await migrate(dialect);
}

/** The server's encoding, and the schema's recorded version (undefined before its tables exist). */
async function schemaState(session: Session, metaTable: string): Promise<{ encoding?: string; version?: string }> {
  try {
    const { rows } = await session.query<{ encoding: string; version: string | null }>(
      `SELECT current_setting('server_encoding') AS encoding,
              (SELECT value FROM ${metaTable} WHERE key = 'schema_version') AS version`,
    );
    return { encoding: rows[0]?.encoding, version: rows[0]?.version ?? undefined };
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
    const { rows } = await session.query<{ server_encoding: string }>('SHOW server_encoding');
    return { encoding: rows[0]?.server_encoding };
  }
}

const UNDEFINED_TABLE = '42P01';

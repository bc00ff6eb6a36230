// createPostgresStore's options, checked before anything connects, with the defaults filled in.

import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions } from '../../contract/types.js';

// These types ship in wfstore/postgres's declarations, which import nothing from pg: a TypeScript user needs
// no @types/pg. A pool handed in is described by the members the store calls on it.

/**
 * A pool of your own for `pool`: pg's `Pool` (pg 8), of which the store calls only these members. It checks
 * out a connection per call (connect) and gives it back (release); ending the pool stays yours.
 */
export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>;
}

/** A connection checked out of a PostgresPool (pg's `PoolClient`): the members the store calls on it. */
export interface PostgresPoolClient {
  /** One statement, as pg's query config (the store also sets pg's `types` and `query_timeout`). */
  query(config: { text: string; values?: unknown[] | undefined; name?: string | undefined }): Promise<unknown>;
  /** Back to the pool; with `true` the connection is dropped instead (one that may still get an answer). */
  release(destroy?: boolean): void;
  /** While a connection is out, the store listens for its errors (a server gone mid-statement). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The server cancels a statement at statementTimeoutMs and says so, which rolls it back and keeps the
 * connection; the client waits this much longer for that answer before it gives up on the server itself.
 */
export const SERVER_ANSWER_GRACE_MS = 1_000;

export interface Bounds {
  /**
   * Opening a connection and waiting for a free one. Undefined for a pool handed in: its
   * own settings then decide those.
   */
  connectTimeoutMs?: number | undefined;
  /** When the client asks the server to cancel a statement still running. */
  statementTimeoutMs: number;
  /** The client's bound on one statement: statementTimeoutMs plus the grace (pg's query_timeout). */
  queryTimeoutMs: number;
}

/**
 * `named`: always named (a direct connection, or a pooler that keeps prepared statements itself).
 * `unnamed`: never named (any transaction-mode pooler). `auto`: named until the server first says a name is
 * missing or already there, then unnamed for the rest of the store's life, that call sent again unnamed.
 */
export type StatementMode = 'auto' | 'named' | 'unnamed';
export const STATEMENT_MODES: readonly StatementMode[] = ['auto', 'named', 'unnamed'];

export interface PostgresStoreOptions extends DeterminismOptions {
  /** A libpq URL; the store makes its own pool and ends it on close(). */
  connectionString?: string | undefined;
  /** A pool you own: the store uses it and leaves it open on close(). Give this or connectionString. */
  pool?: PostgresPool | undefined;
  /** Schema for the tables, created if missing. Default "public". */
  schema?: string | undefined;
  /** Size of the pool the store makes from connectionString. Default 10. */
  maxConnections?: number | undefined;
  /**
   * How long the store's own pool waits for a connection: to open one (TCP, TLS, authentication) and for a
   * free one when all are busy. Default 10000 ms. Not with `pool` (set connectionTimeoutMillis on yours).
   */
  connectTimeoutMs?: number | undefined;
  /**
   * How long one statement may run, whatever the pool: the client then sends the server a cancel request, and
   * the statement fails having taken no effect; the client gives up 1 s later if the server does not answer at
   * all. No startup parameter and no extra round trip, so it holds through a pooler. Default 30000 ms.
   */
  statementTimeoutMs?: number | undefined;
  /**
   * Whether statements are sent named (prepared once per server connection) or unnamed (parsed with each call).
   * "unnamed" behind a transaction-mode pooler (PgBouncer, a hosted provider's pooler), where a name prepared on
   * one server connection is missing on the next; "named" on a direct connection; "auto" (default) sends names
   * until the server first says one is missing or already there, then none, sending that call again (such a
   * failure comes before the statement runs). See docs/backends/postgres.md, "Behind a connection pooler".
   */
  statements?: StatementMode | undefined;
}

// Opening a connection takes milliseconds to a second even over TLS across regions; 10 s leaves room for a
// slow handshake yet reports a dead or silent server long before the OS gives up on it (minutes, or never).
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
// Every statement is an indexed single-row write or a read bounded by the caller's limit: milliseconds. 30 s
// still covers a large unpaged listing, a queue of appenders on one run, or a checkpoint stall, and an engine
// learns that its database is stuck while a step is still worth retrying.
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_CONNECTIONS = 10;
// Node's timers fire at once past 2^31 - 1 ms; the client's bound adds the grace to the statement's.
const MAX_TIMEOUT_MS = 2 ** 31 - 1 - SERVER_ANSWER_GRACE_MS;
// PostgreSQL's own ceiling on max_connections.
const MAX_CONNECTIONS = 262_143;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export type PoolSource = { connectionString: string; maxConnections: number } | { pool: PostgresPool };

export interface StoreSettings {
  source: PoolSource;
  schema: string;
  bounds: Bounds;
  statements: StatementMode;
}

export function readOptions(options: PostgresStoreOptions): StoreSettings {
  const hasUrl = typeof options?.connectionString === 'string' && options.connectionString !== '';
  if (hasUrl === (options?.pool !== undefined)) {
    throw new StoreOpenError('createPostgresStore: give exactly one of connectionString and pool');
  }
  const schema = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreOpenError(
      `createPostgresStore: schema ${JSON.stringify(schema)} must be 1 to 63 of letters, digits and "_", ` +
        'not starting with a digit',
    );
  }
  const statementTimeoutMs = positiveInteger(
    options,
    'statementTimeoutMs',
    DEFAULT_STATEMENT_TIMEOUT_MS,
    MAX_TIMEOUT_MS,
  );
  const queryTimeoutMs = statementTimeoutMs + SERVER_ANSWER_GRACE_MS;
  const statements = options.statements ?? 'auto';
  if (!STATEMENT_MODES.includes(statements)) {
    throw new StoreOpenError(
      `createPostgresStore: statements must be one of ${STATEMENT_MODES.map((m) => `"${m}"`).join(', ')}, ` +
        `got ${describe(statements)}`,
    );
  }
  if (options.pool !== undefined) {
    // The caller's pool decides how it connects; an option that cannot apply is refused, not ignored.
    for (const [name, own] of [
      ['connectTimeoutMs', 'connectionTimeoutMillis'],
      ['maxConnections', 'max'],
    ] as const) {
      if (options[name] !== undefined) {
        throw new StoreOpenError(
          `createPostgresStore: ${name} applies to the pool the store makes from connectionString; ` +
            `with pool, set ${own} on your pool`,
        );
      }
    }
    return { source: { pool: options.pool }, schema, bounds: { statementTimeoutMs, queryTimeoutMs }, statements };
  }
  return {
    source: {
      connectionString: options.connectionString!,
      maxConnections: positiveInteger(options, 'maxConnections', DEFAULT_MAX_CONNECTIONS, MAX_CONNECTIONS),
    },
    schema,
    bounds: {
      connectTimeoutMs: positiveInteger(options, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS, MAX_TIMEOUT_MS),
      statementTimeoutMs,
      queryTimeoutMs,
    },
    statements,
  };
}

function positiveInteger(
  options: PostgresStoreOptions,
  name: 'connectTimeoutMs' | 'statementTimeoutMs' | 'maxConnections',
  fallback: number,
  max: number,
): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new StoreOpenError(
      `createPostgresStore: ${name} must be an integer from 1 to ${max}, got ${describe(value)}`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value}`;
}

// The pools a store works with: its own, made from a connection string with every wait bounded, or one
// handed in, which stays its owner's.

import type { Pool as PgPool, PoolClient } from 'pg';
import pg from './pg.js';
import type { Bounds, PoolSource } from './options.js';

export interface StorePool {
  pool: PgPool;
  /**
   * Ends the store's own pool; leaves a pool handed in open. It needs no bound of its own: an idle connection
   * sends its goodbye and closes without waiting for a reply, and close() has waited for the calls under way.
   */
  end(): Promise<void>;
}

export function openPool(source: PoolSource, bounds: Bounds): StorePool {
  // A pool handed in is pg's Pool at run time: its type names only what the store calls (so that the package's
  // types need no @types/pg), the store's code uses pg's own.
  if ('pool' in source) return { pool: source.pool as unknown as PgPool, end: async () => {} };
  const pool = new pg.Pool({
    connectionString: source.connectionString,
    max: source.maxConnections,
    connectionTimeoutMillis: bounds.connectTimeoutMs,
    // No statement_timeout startup parameter: poolers refuse it; the store's deadline cancels instead.
    query_timeout: bounds.queryTimeoutMs,
  });
  // An idle connection that breaks (server restart) is reported here; without a listener it would crash
  // the process. The pool drops it and the next call connects afresh.
  pool.on('error', () => {});
  // A connection that breaks while checked out (a restart mid-call) may report it more than once, and pg's
  // pool listens only for the first: the others would crash the process. Every connection the store's pool
  // makes listens for good; the calls on it fail with the error all the same.
  pool.on('connect', (client) => client.on('error', () => {}));
  return { pool, end: () => pool.end() };
}

/** A connection taken from a pool; `done` gives it back, or drops it. */
export interface Borrowed {
  client: PoolClient;
  done(drop: boolean): void;
}

/**
 * A connection of the pool, listened to while it is out: a connection lost mid-statement (a server restart, a
 * pooler gone) emits 'error' besides failing the statement, and pg's client would crash the process with it
 * when nobody listens. (pool.query listens the same way; a connection taken with connect() does not.)
 */
export async function borrow(pool: PgPool): Promise<Borrowed> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  return {
    client,
    done(drop) {
      client.off('error', ignore);
      client.release(drop);
    },
  };
}

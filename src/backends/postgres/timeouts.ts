// How long the PostgreSQL backend waits for its server, and what it says when it stops waiting.

import type pg from 'pg';

/**
 * The server cancels a statement at statementTimeoutMs and says so, which rolls it back and keeps the
 * connection; the client waits this much longer for that answer before it gives up on the server itself.
 */
export const SERVER_ANSWER_GRACE_MS = 1_000;

export interface Bounds {
  /**
   * Opening a connection and waiting for a free one. Undefined for a pool handed in: its
   * own settings then decide those and the server's statement_timeout.
   */
  connectTimeoutMs?: number | undefined;
  /** The server's bound on one statement (statement_timeout), set on the store's own pool. */
  statementTimeoutMs: number;
  /** The client's bound on one statement: statementTimeoutMs plus the grace (pg's query_timeout). */
  queryTimeoutMs: number;
}

/** A statement with the client's bound attached (pg reads query_timeout per query; its types lack it). */
export type TimedQuery = pg.QueryConfig & { query_timeout: number };

// pg reports its own timeouts only by message; a test checks that each still gets explained.
const NO_ANSWER = 'Query read timeout'; // pg.Client: query_timeout passed
const NO_FREE_CONNECTION = 'timeout exceeded when trying to connect'; // pg-pool: every connection stayed busy
const NOT_CONNECTED = 'Connection terminated due to connection timeout'; // pg-pool: a new connection not ready
const STATEMENT_CANCELLED = '57014'; // query_canceled, here by statement_timeout

/** Whether pg gave up waiting for an answer to a statement (the connection then has a request in the air). */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof Error && error.message === NO_ANSWER;
}

/** pg's timeout errors reworded to say what happened and which option bounds it; other errors unchanged. */
export function explainTimeout(error: unknown, bounds: Bounds): unknown {
  if (!(error instanceof Error)) return error;
  const connect =
    bounds.connectTimeoutMs === undefined
      ? "within the pool's connectionTimeoutMillis"
      : `within connectTimeoutMs (${bounds.connectTimeoutMs} ms)`;
  let message: string | undefined;
  if (error.message === NO_ANSWER) {
    message =
      `no answer from the server within statementTimeoutMs (${bounds.statementTimeoutMs} ms) ` +
      `+ ${SERVER_ANSWER_GRACE_MS} ms; ` +
      'the connection was dropped, and whether the statement took effect is unknown';
  } else if (error.message === NO_FREE_CONNECTION) {
    message = `no free connection in the pool ${connect}: every connection stayed busy`;
  } else if (error.message === NOT_CONNECTED) {
    message = `the server did not accept a connection ${connect}`;
  } else if (
    bounds.connectTimeoutMs !== undefined &&
    (error as { code?: unknown }).code === STATEMENT_CANCELLED &&
    /statement timeout/.test(error.message)
  ) {
    message =
      `the server cancelled the statement at statementTimeoutMs (${bounds.statementTimeoutMs} ms); ` +
      'it took no effect';
  }
  return message === undefined ? error : new Error(message, { cause: error });
}

/** Plain statements on one checked-out connection, as opening the store sends them. */
export interface Session {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Each statement bounded by the client's bound, on any pool. Once one went unanswered, the connection
 * still waits for that answer, so later statements (a ROLLBACK) fail at once rather than queue behind it.
 */
export function boundedSession(client: pg.ClientBase, bounds: Bounds): Session {
  let unanswered: unknown;
  return {
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      if (unanswered !== undefined) throw unanswered;
      const query: TimedQuery = { text, values, query_timeout: bounds.queryTimeoutMs };
      try {
        return await client.query<R>(query);
      } catch (error) {
        if (isNoAnswer(error)) unanswered = error;
        throw error;
      }
    },
  };
}

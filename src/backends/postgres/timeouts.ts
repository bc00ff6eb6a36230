// How long the PostgreSQL backend waits for its server, and what it says when it stops waiting.
//
// A statement is bounded on the client, whatever the pool and whatever sits between us and the server
// (PgBouncer refuses a `statement_timeout` startup parameter, and a `SET` per transaction would cost a round
// trip): at statementTimeoutMs the client sends PostgreSQL's cancel request for that connection, which the
// server (or the pooler, to the server connection it lent) answers by cancelling the statement; the statement
// fails, takes no effect, and the call says so. If no answer comes SERVER_ANSWER_GRACE_MS later either, the
// client gives up on the server (pg's query_timeout) and drops the connection.

import net from 'node:net';
import type pg from 'pg';
import { type Bounds, SERVER_ANSWER_GRACE_MS } from './options.js';

/** A statement with the client's bound attached (pg reads query_timeout per query; its types lack it). */
export type TimedQuery = pg.QueryConfig & { query_timeout: number };

// pg reports its own timeouts only by message; a test checks that each still gets explained.
const NO_ANSWER = 'Query read timeout'; // pg.Client: query_timeout passed
const NO_FREE_CONNECTION = 'timeout exceeded when trying to connect'; // pg-pool: every connection stayed busy
const NOT_CONNECTED = 'Connection terminated due to connection timeout'; // pg-pool: a new connection not ready
const CANCELLED = '57014'; // query_canceled

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
  }
  return message === undefined ? error : new Error(message, { cause: error });
}

/** What pg.Client keeps of its connection that a cancel request needs (its types lack the keys). */
interface CancelTarget {
  host?: string | undefined;
  port?: number | undefined;
  processID?: number | null | undefined;
  secretKey?: number | null | undefined;
}

// PostgreSQL's CancelRequest: length 16, code 80877102 (1234 << 16 | 5678), process id, secret key.
const CANCEL_REQUEST_CODE = 80_877_102;

/**
 * Sends PostgreSQL's cancel request for the statement `client` is running: a new connection to the same host
 * and port that carries 16 bytes, closed by the server once it has acted. PostgreSQL and PgBouncer both accept
 * it without authentication or TLS. Resolves once sent; never rejects (a cancel that cannot be sent leaves the
 * client's own bound to end the wait).
 */
export function sendCancel(client: pg.ClientBase, connectTimeoutMs = SERVER_ANSWER_GRACE_MS): Promise<void> {
  const { host, port, processID, secretKey } = client as unknown as CancelTarget;
  if (typeof processID !== 'number' || typeof secretKey !== 'number' || port === undefined) return Promise.resolve();
  const request = Buffer.alloc(16);
  request.writeInt32BE(16, 0);
  request.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  request.writeInt32BE(processID, 8);
  request.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket =
      host?.startsWith('/') === true
        ? net.connect(`${host}/.s.PGSQL.${port}`)
        : net.connect({ host: host || 'localhost', port });
    socket.setTimeout(connectTimeoutMs, () => socket.destroy());
    // As libpq does: send, then wait for the other end to close. (PgBouncer 1.18 exits with "bad client
    // state" when a cancel connection is half-closed before it has forwarded the request.)
    socket.on('connect', () => socket.write(request));
    socket.on('end', () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

/** A statement cancelled by the client's deadline: a ROLLBACK is all the connection is good for, then drop it. */
export class StatementCancelled extends Error {}

/**
 * Sends one statement on `client` under the deadline: at statementTimeoutMs a cancel request goes out, and a
 * statement that then fails as cancelled is reported as timed out (it took no effect). `onCancel` is told
 * when a cancel was sent: that connection must not be reused, or a late cancel could hit a later statement.
 */
export async function deadlineQuery<R extends pg.QueryResultRow>(
  client: pg.ClientBase,
  statement: TimedQuery,
  bounds: Bounds,
  onCancel: () => void,
): Promise<pg.QueryResult<R>> {
  let cancelled = false;
  const timer = setTimeout(() => {
    cancelled = true;
    onCancel();
    void sendCancel(client);
  }, bounds.statementTimeoutMs);
  try {
    return await client.query<R>(statement);
  } catch (error) {
    if (cancelled && (error as { code?: unknown }).code === CANCELLED) {
      throw new StatementCancelled(
        `the server cancelled the statement at statementTimeoutMs (${bounds.statementTimeoutMs} ms); ` +
          'it took no effect',
        { cause: error },
      );
    }
    throw explainTimeout(error, bounds);
  } finally {
    clearTimeout(timer);
  }
}

/** Plain statements on one checked-out connection, as opening the store sends them. */
export interface Session {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Each statement under the deadline, on any pool. Once one went unanswered or was cancelled, the connection
 * still waits for that answer or may receive a late cancel, so later statements (a ROLLBACK) fail at once
 * rather than queue behind it; `spoiled` says so, for the caller to drop the connection.
 */
export function boundedSession(client: pg.ClientBase, bounds: Bounds): Session & { spoiled(): boolean } {
  let unanswered: unknown;
  let cancelSent = false;
  return {
    spoiled: () => cancelSent || unanswered !== undefined,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      if (unanswered !== undefined) throw unanswered;
      const query: TimedQuery = { text, values, query_timeout: bounds.queryTimeoutMs };
      try {
        return await deadlineQuery<R>(client, query, bounds, () => {
          cancelSent = true;
        });
      } catch (error) {
        if (isNoAnswer((error as Error).cause ?? error)) unanswered = error;
        throw error;
      }
    },
  };
}

// listWorkflowRuns in SQL, for both SQL backends (WF-RUN-4, WF-RUN-7): only the conditions a request has are
// in the statement, so each shape of request is one statement, and each shape reads one index in its order,
// walked forwards or backwards from the position: a page costs the same at the start and at the end of a
// million runs. The indexes (each dialect's schema.ts): (created_at, id), (status, created_at, id),
// (workflow_name, created_at, id) and (workflow_name, status, created_at, id); ids and timestamps compare by code
// unit ("C" / BINARY).
//
// The filters' columns lead the ORDER BY and, on PostgreSQL, the position's row value: `status = $1 AND
// (status, created_at, id) > ($1, $2, $3) ORDER BY status, created_at, id` lists the same runs in the same order
// as without them (those columns hold one value), written so that only the filters' index serves the order
// and starts its range at the position. Given `status = $1 AND (created_at, id) > ($2, $3)`, PostgreSQL's
// generic plan walks (created_at, id) and drops the other statuses one by one: 40 ms instead of 0.2 ms for a
// page of a status that one run in a hundred has (200,000 runs).

import type { ListRunsRequest } from '../../contract/validation.js';

/** How a dialect writes the i-th parameter (from 1) of a given kind. */
export type Placeholder = (index: number, kind: 'text' | 'timestamp' | 'limit') => string;

export interface RunListing {
  /** The same for every request of this shape: a statement can be prepared once per shape. */
  shape: string;
  /**
   * `WHERE … ORDER BY … LIMIT …`, to follow `SELECT <columns> FROM <runs table> r`: the columns are qualified, so
   * that ORDER BY reads the stored column, not a selected expression of that name (PostgreSQL's formatted text).
   */
  clauses: string;
  /** The values of the placeholders, in order; the limit last (`noLimit` when the request has none). */
  values: unknown[];
}

type Kind = 'text' | 'timestamp';

export interface ListingDialect {
  placeholder: Placeholder;
  /** The limit's value for no limit. */
  noLimit: number | null;
  /**
   * Whether the filters' columns lead the position's row value too. PostgreSQL needs them there to start the
   * filters' index range at the position; SQLite takes `status = ? AND (created_at, id) > (?, ?)` as that range,
   * and only the equality from `status = ? AND (status, created_at, id) > (?, ?, ?)`.
   */
  filtersLeadPosition: boolean;
}

/** The conditions, order and limit of a listing. */
export function runListing(request: ListRunsRequest, dialect: ListingDialect): RunListing {
  const { placeholder, noLimit } = dialect;
  const values: unknown[] = [];
  const param = (value: unknown, kind: Kind | 'limit') => {
    values.push(value);
    return placeholder(values.length, kind);
  };
  const { status, workflow_name, created_after, created_before, after } = bounds(request);
  // The filters' columns, in the order of the index that serves them.
  const equal: [string, string][] = [];
  if (workflow_name !== undefined) equal.push(['r.workflow_name', param(workflow_name, 'text')]);
  if (status !== undefined) equal.push(['r.status', param(status, 'text')]);
  const conditions = equal.map(([column, p]) => `${column} = ${p}`);
  if (created_after !== undefined) conditions.push(`r.created_at > ${param(created_after, 'timestamp')}`);
  if (created_before !== undefined) conditions.push(`r.created_at < ${param(created_before, 'timestamp')}`);
  const desc = request.order === 'desc';
  const columns = [...equal.map(([column]) => column), 'r.created_at', 'r.id'];
  if (after !== undefined) {
    const led = dialect.filtersLeadPosition ? equal : [];
    const position = [...led.map(([, p]) => p), param(after.created_at, 'timestamp'), param(after.id, 'text')];
    const compared = [...led.map(([column]) => column), 'r.created_at', 'r.id'];
    conditions.push(`(${compared.join(', ')}) ${desc ? '<' : '>'} (${position.join(', ')})`);
  }
  const limit = param(request.limit ?? noLimit, 'limit');
  const clauses =
    (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '') +
    `ORDER BY ${columns.map((column) => `${column}${desc ? ' DESC' : ''}`).join(', ')} LIMIT ${limit}`;
  const shape = [
    workflow_name === undefined ? '' : 'w',
    status === undefined ? '' : 's',
    created_after === undefined ? '' : 'a',
    created_before === undefined ? '' : 'b',
    after === undefined ? '' : 'p',
    desc ? '-desc' : '-asc',
  ].join('');
  return { shape, clauses, values };
}

/**
 * The request without the looser of the two bounds where the walk starts: `after` and `created_after`
 * (`created_before` newest first) both bound that end, and an index range starts from one bound. One implies
 * the other: ascending, a run past `after` was created at or after after.created_at, so after created_after
 * when after.created_at > created_after; otherwise a run created after created_after is past `after`.
 */
function bounds(request: ListRunsRequest): ListRunsRequest {
  const { after, created_after, created_before } = request;
  if (after === undefined) return request;
  if (request.order === 'desc') {
    if (created_before === undefined) return request;
    return after.created_at < created_before
      ? { ...request, created_before: undefined }
      : { ...request, after: undefined };
  }
  if (created_after === undefined) return request;
  return after.created_at > created_after ? { ...request, created_after: undefined } : { ...request, after: undefined };
}

// listWorkflowRuns in SQL, for both SQL backends (WF-RUN-4, WF-RUN-7): only the conditions a request has are
// in the statement, so each shape of request is one statement, and each shape reads one index in its order,
// walked forwards or backwards from the position: a page costs the same at the start and at the end of a
// million runs. The indexes (each dialect's schema.ts): (created_at, id), (status, created_at, id),
// (workflow_name, created_at, id) and (workflow_name, status, created_at, id); ids and timestamps compare by code
// unit ("C" / BINARY).
//
// The filters' columns (status, workflow_name) lead the ORDER BY: the same order, since they hold one value,
// but only the filters' index gives it. How the range of that index is written differs:
// - SQLite: `status = ? AND (created_at, id) > (?, ?)`, which it reads as a range of (status, created_at, id).
// - PostgreSQL, one filter: bounds of row values over the index's columns, no equality (unless there is no other
//   bound): `status <= $1 AND (status, created_at, id) > ($1, $2, $3)` (newest first: `status >= $1 AND (…) <
//   (…)`). With `status = $1` the planner drops status from the order (a constant), and its generic plan may
//   walk (created_at, id) and skip the other statuses one by one (40 ms instead of 0.2 ms for a page of a status
//   one run in a hundred has, 200,000 runs); and with `status = $1 AND (status, created_at, id) < (…)` a
//   backward scan starts at the end of `status = $1`, not at the position (8 ms for the last page of 30,000).
//   Two filters: equalities, as SQLite. Then only their index has both as its range, which the planner takes;
//   given `(workflow_name, status) >= ($1, $2)`, its generic plan walked all of a workflow's runs instead.

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

export interface ListingDialect {
  placeholder: Placeholder;
  /** The limit's value for no limit. */
  noLimit: number | null;
  /** How the filters and the position are written: see above ('row bounds' for one filter only). */
  range: 'equality' | 'row bounds';
}

type Kind = 'text' | 'timestamp';
/** A column and the placeholder of its value. */
type Term = [column: string, placeholder: string];

/** `(a, b) > ($1, $2)`, or `a > $1` for one column. */
function compare(terms: readonly Term[], op: string): string {
  if (terms.length === 1) return `${terms[0]![0]} ${op} ${terms[0]![1]}`;
  return `(${terms.map(([c]) => c).join(', ')}) ${op} (${terms.map(([, p]) => p).join(', ')})`;
}

/** The conditions, order and limit of a listing. */
export function runListing(request: ListRunsRequest, dialect: ListingDialect): RunListing {
  const values: unknown[] = [];
  const param = (value: unknown, kind: Kind | 'limit') => {
    values.push(value);
    return dialect.placeholder(values.length, kind);
  };
  const { status, workflow_name, created_after, created_before, after } = bounds(request);
  // The filters' columns, in the order of the index that serves them.
  const filters: Term[] = [];
  if (workflow_name !== undefined) filters.push(['r.workflow_name', param(workflow_name, 'text')]);
  if (status !== undefined) filters.push(['r.status', param(status, 'text')]);
  const term = (column: string, value: string | undefined, kind: Kind): Term | undefined =>
    value === undefined ? undefined : [column, param(value, kind)];
  const since = term('r.created_at', created_after, 'timestamp');
  const until = term('r.created_at', created_before, 'timestamp');
  const position: Term[] | undefined = after && [
    ['r.created_at', param(after.created_at, 'timestamp')],
    ['r.id', param(after.id, 'text')],
  ];
  const desc = request.order === 'desc';
  const conditions =
    dialect.range === 'equality' || filters.length !== 1
      ? [
          ...filters.map((filter) => compare([filter], '=')),
          ...(since ? [compare([since], '>')] : []),
          ...(until ? [compare([until], '<')] : []),
          ...(position ? [compare(position, desc ? '<' : '>')] : []),
        ]
      : rowBounds(filters, since, until, position, desc);
  const columns = [...filters.map(([column]) => column), 'r.created_at', 'r.id'];
  const limit = param(request.limit ?? dialect.noLimit, 'limit');
  const clauses =
    (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '') +
    `ORDER BY ${columns.map((column) => `${column}${desc ? ' DESC' : ''}`).join(', ')} LIMIT ${limit}`;
  const flags = [workflow_name, status, created_after, created_before, after].map((v, i) => (v ? 'wsabp'[i] : ''));
  return { shape: `${flags.join('')}-${desc ? 'desc' : 'asc'}`, clauses, values };
}

/**
 * The filters, the created_at bounds and the position as the two ends of one range of the filters' index: the
 * lower end (`>`), the upper end (`<`), each the tightest given, led by the filters' columns. Where one end has
 * nothing but the filters, `(filters) >= (values)` (or `<=`).
 */
function rowBounds(
  filters: readonly Term[],
  since: Term | undefined,
  until: Term | undefined,
  position: readonly Term[] | undefined,
  desc: boolean,
): string[] {
  const end = (tightest: readonly Term[] | undefined, op: '>' | '<'): string[] => {
    if (tightest !== undefined) return [compare([...filters, ...tightest], op)];
    return filters.length > 0 ? [compare(filters, `${op}=`)] : [];
  };
  const lower = !desc && position ? position : since && [since];
  const upper = desc && position ? position : until && [until];
  if (lower === undefined && upper === undefined) return filters.map((filter) => compare([filter], '='));
  return [...end(lower, '>'), ...end(upper, '<')];
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

// listWorkflowRuns in SQL, for both SQL backends (WF-RUN-4, WF-RUN-7): only the conditions a request has are
// in the statement, so each shape of request is one statement the planner serves from one index, walked
// forwards or backwards from the position — a page costs the same at the start and at the end of a million
// runs. Indexes (schema.ts of each dialect): (created_at, id), (status, created_at, id) and
// (workflow_name, created_at, id); ids and timestamps compare by code unit ("C" / BINARY).

import type { ListRunsRequest } from '../../contract/validation.js';

/** How a dialect writes the i-th parameter (from 1) of a given kind. */
export type Placeholder = (index: number, kind: 'text' | 'timestamp' | 'limit') => string;

export interface RunListing {
  /** The same for every request of this shape: a statement can be prepared once per shape. */
  shape: string;
  /** `WHERE … ORDER BY … LIMIT …`, to follow `SELECT <columns> FROM <runs table>`. */
  clauses: string;
  /** The values of the placeholders, in order; the limit last (`noLimit` when the request has none). */
  values: unknown[];
}

/**
 * The conditions, order and limit of a listing. A position is a row-value comparison, `(created_at, id) >
 * (?, ?)` (`<` newest first), which the index answers as a range.
 */
export function runListing(request: ListRunsRequest, placeholder: Placeholder, noLimit: number | null): RunListing {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const flags: string[] = [];
  const add = (flag: string, condition: (...p: string[]) => string, ...given: [unknown, 'text' | 'timestamp'][]) => {
    const at = given.map(([value, kind]) => {
      values.push(value);
      return placeholder(values.length, kind);
    });
    conditions.push(condition(...at));
    flags.push(flag);
  };
  const { status, workflow_name, created_after, created_before, after } = request;
  if (status !== undefined) add('s', (p) => `status = ${p}`, [status, 'text']);
  if (workflow_name !== undefined) add('w', (p) => `workflow_name = ${p}`, [workflow_name, 'text']);
  if (created_after !== undefined) add('a', (p) => `created_at > ${p}`, [created_after, 'timestamp']);
  if (created_before !== undefined) add('b', (p) => `created_at < ${p}`, [created_before, 'timestamp']);
  const desc = request.order === 'desc';
  if (after !== undefined) {
    const op = desc ? '<' : '>';
    add('p', (t, i) => `(created_at, id) ${op} (${t}, ${i})`, [after.created_at, 'timestamp'], [after.id, 'text']);
  }
  values.push(request.limit ?? noLimit);
  const direction = desc ? ' DESC' : '';
  const clauses =
    (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '') +
    `ORDER BY created_at${direction}, id${direction} LIMIT ${placeholder(values.length, 'limit')}`;
  return { shape: `${flags.join('')}${desc ? '-desc' : '-asc'}`, clauses, values };
}

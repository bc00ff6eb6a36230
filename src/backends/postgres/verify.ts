// How `verifyPostgresStore` reads the schema (the checks are src/backends/sql/verify.ts): each run in one
// transaction on one connection, a repeatable-read snapshot (writers go on) or, to repair, with the run's row
// locked (its appends, updates and delete wait).

import type pg from 'pg';
import type { StoredEventRow } from '../sql/checksum.js';
import { type RunReader, type SqlStoreAccess, type StoredOutputRow, VERIFY_BATCH } from '../sql/verify.js';
import { iso, TYPES } from './queries.js';
import { deadlineQuery, type TimedQuery } from './timeouts.js';
import type { Bounds } from './options.js';

/** `S` is the quoted schema name; `location` says where it is, for people. */
export function postgresAccess(client: pg.ClientBase, S: string, bounds: Bounds, location: string): SqlStoreAccess {
  // A statement cancelled here fails the verification, whose connection is then dropped (index.ts).
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> => {
    const statement: TimedQuery = { text, values, types: TYPES, query_timeout: bounds.queryTimeoutMs };
    return (await deadlineQuery<R>(client, statement, bounds, () => {})).rows;
  };
  const reader = (runId: string, hold: boolean): RunReader => ({
    async lastSequence() {
      const lock = hold ? ' FOR UPDATE' : '';
      const [row] = await query<{ last: number }>(
        `SELECT last_sequence AS last FROM ${S}.workflow_runs WHERE id = $1${lock}`,
        [runId],
      );
      return row?.last;
    },
    eventsAfter: (after) =>
      query<StoredEventRow>(
        `SELECT run_id, sequence, event_type, ${iso('timestamp')} AS timestamp, payload::text AS payload, checksum
         FROM ${S}.workflow_events WHERE run_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`,
        [runId, after, VERIFY_BATCH],
      ),
    outputs: () =>
      query<StoredOutputRow>(
        `SELECT node_id, sequence, output::text AS output FROM ${S}.workflow_node_outputs
         WHERE run_id = $1 ORDER BY sequence`,
        [runId],
      ),
    async replaceOutputs(rows) {
      await query(`DELETE FROM ${S}.workflow_node_outputs WHERE run_id = $1`, [runId]);
      await query(
        `INSERT INTO ${S}.workflow_node_outputs (run_id, node_id, output, sequence)
         SELECT $1, node_id, output::json, sequence FROM unnest($2::text[], $3::text[], $4::bigint[])
           AS given (node_id, output, sequence)`,
        [runId, rows.map((r) => r.node_id), rows.map((r) => r.output), rows.map((r) => r.sequence)],
      );
    },
  });
  return {
    backend: 'postgres',
    location,
    runIds: async () => (await query<{ id: string }>(`SELECT id FROM ${S}.workflow_runs ORDER BY id`)).map((r) => r.id),
    async inRun(runId, hold, check) {
      await query(hold ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await check(reader(runId, hold));
        await query('COMMIT');
        return result;
      } catch (error) {
        await query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
  };
}

// Every statement the PostgreSQL driver sends, as named (prepared) statements: each connection parses
// a statement once, and a call is one Parse/Bind/Execute/Sync exchange, one round trip.

import { createHash } from 'node:crypto';
import type { CustomTypesConfig } from 'pg';
import { runColumns } from '../sql/rows.js';
import { SCHEMA_VERSION } from '../sql/schema.js';
import pg from './pg.js';
import type { TimedQuery } from './timeouts.js';

/** ISO-8601 UTC with milliseconds, as the other backends store it. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RUN_COLUMNS = runColumns((column) => `${iso(column)} AS ${column}`);

// Our own type parsers, so a pool handed in with other settings cannot change what we read:
// json is parsed (a fresh copy per call), bigint becomes a number (sequences stay far below 2^53).
const JSON_OID = 114;
const INT8_OID = 20;
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === JSON_OID) return (value: string) => JSON.parse(value) as unknown;
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as unknown as CustomTypesConfig;

export type Statement = (values: unknown[]) => TimedQuery;

/** Makes a named statement; its name is unique to the schema and the schema version. */
type Define = (name: string, text: string) => Statement;

/** `queryTimeoutMs`: the client's bound on each statement, carried by the statement so it holds on any pool. */
export function buildQueries(schema: string, S: string, queryTimeoutMs: number) {
  const prefix = `wfstore${SCHEMA_VERSION}_${createHash('sha1').update(schema).digest('hex').slice(0, 10)}_`;
  const statement: Define = (name, text) => (values) => ({
    name: prefix + name,
    text,
    values,
    types: TYPES,
    query_timeout: queryTimeoutMs,
  });
  return { ...runStatements(S, statement), ...eventStatements(S, statement) };
}

/** The statements on workflow_runs alone; `S` is the quoted schema name. */
function runStatements(S: string, statement: Define) {
  return {
    insertRun: statement(
      'insert_run',
      `INSERT INTO ${S}.workflow_runs (${runColumns()})
       VALUES ($1, $2, $3, $4, $5::json, $6, $7) ON CONFLICT (id) DO NOTHING`,
    ),
    getRun: statement('get_run', `SELECT ${RUN_COLUMNS}, revision FROM ${S}.workflow_runs WHERE id = $1`),
    // An update with its event (WF-UPD-4) holds the run's row for its transaction.
    lockRun: statement('lock_run', `SELECT ${RUN_COLUMNS}, revision FROM ${S}.workflow_runs WHERE id = $1 FOR UPDATE`),
    listRuns: statement(
      'list_runs',
      `SELECT ${RUN_COLUMNS} FROM ${S}.workflow_runs
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR workflow_name = $2)
       ORDER BY created_at, id LIMIT $3`,
    ),
    // Status-only compare-and-set, decided in one statement: only a run in an allowed source status
    // (and in expected_status, when given) is updated; the row lock makes exactly one caller win.
    setStatus: statement(
      'set_status',
      `UPDATE ${S}.workflow_runs
       SET status = COALESCE($2, status), updated_at = GREATEST($3::timestamptz, updated_at), revision = revision + 1
       WHERE id = $1 AND status = ANY($4::text[]) AND ($5::text IS NULL OR status = $5)
       RETURNING ${RUN_COLUMNS}`,
    ),
    // A metadata merge is decided in JavaScript (key order) and written only if nobody wrote since.
    replaceRun: statement(
      'replace_run',
      `UPDATE ${S}.workflow_runs SET status = $2, metadata = $3::json, updated_at = $4, revision = revision + 1
       WHERE id = $1 AND revision = $5
       RETURNING ${RUN_COLUMNS}`,
    ),
    deleteRun: statement('delete_run', `DELETE FROM ${S}.workflow_runs WHERE id = $1`),
  };
}

/** The statements that append events and read events and node outputs; `S` is the quoted schema name. */
function eventStatements(S: string, statement: Define) {
  return {
    // The whole append in one statement: the run's counter row is locked by the UPDATE, so concurrent
    // appends on any connection queue there and each gets the next number; a node_completed event's
    // output is written by the same statement, so both or neither exist. Two statements, because even
    // an output CTE that writes nothing costs a plain append about 50 µs (measured).
    append: statement(
      'append',
      `WITH counter AS (
         UPDATE ${S}.workflow_runs SET last_sequence = last_sequence + 1 WHERE id = $1 RETURNING id, last_sequence
       )
       INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload)
       SELECT id, last_sequence, $2, $3, $4::json FROM counter
       RETURNING sequence`,
    ),
    appendCompletion: statement(
      'append_completion',
      `WITH counter AS (
         UPDATE ${S}.workflow_runs SET last_sequence = last_sequence + 1 WHERE id = $1 RETURNING id, last_sequence
       ), event AS (
         INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload)
         SELECT id, last_sequence, $2, $3, $4::json FROM counter
         RETURNING sequence
       ), output AS (
         INSERT INTO ${S}.workflow_node_outputs (run_id, node_id, output, sequence)
         SELECT id, $5, $6::json, last_sequence FROM counter
         ON CONFLICT (run_id, node_id) DO UPDATE SET output = EXCLUDED.output, sequence = EXCLUDED.sequence
       )
       SELECT sequence FROM event`,
    ),
    // Reads that also tell an unknown run (no row) from an empty one (one row of nulls), in one snapshot.
    listEvents: statement(
      'list_events',
      `SELECT e.run_id, e.sequence, e.event_type, ${iso('e.timestamp')} AS timestamp, e.payload
       FROM ${S}.workflow_runs r
       LEFT JOIN LATERAL (
         SELECT * FROM ${S}.workflow_events WHERE run_id = r.id AND sequence > $2 ORDER BY sequence LIMIT $3
       ) e ON true
       WHERE r.id = $1
       ORDER BY e.sequence`,
    ),
    outputs: statement(
      'outputs',
      `SELECT o.node_id, o.output
       FROM ${S}.workflow_runs r
       LEFT JOIN ${S}.workflow_node_outputs o ON o.run_id = r.id
       WHERE r.id = $1
       ORDER BY o.sequence`,
    ),
  };
}

export type Queries = ReturnType<typeof buildQueries>;

// Every statement the PostgreSQL driver sends. Each has a name for the server to keep it prepared (a connection
// parses it once), which the driver leaves off where names do not hold (statements.ts): either way a call is
// one Parse/Bind/Execute/Sync exchange, one round trip.

import { createHash } from 'node:crypto';
import type { CustomTypesConfig } from 'pg';
import type { ListRunsRequest } from '../../contract/validation.js';
import { postgresChecksumSql, postgresSealSql } from './checksum-sql.js';
import { type ListingDialect, runListing } from '../sql/list-runs.js';
import { runColumns } from '../sql/rows.js';
import { SCHEMA_VERSION } from '../sql/schema.js';
import pg from './pg.js';
import type { TimedQuery } from './timeouts.js';

/** ISO-8601 UTC with milliseconds, as the other backends store it. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RUN_COLUMNS = runColumns((column) => `${iso(column)} AS ${column}`);

// Our own type parsers, so a pool handed in with other settings cannot change what we read:
// json is parsed (a fresh copy per call), bigint becomes a number (sequences stay far below 2^53).
const JSON_OID = 114;
const INT8_OID = 20;
export const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === JSON_OID) return (value: string) => JSON.parse(value) as unknown;
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as unknown as CustomTypesConfig;

export type Statement = (values: unknown[]) => TimedQuery;

/** Makes a named statement. */
type Define = (name: string, text: string) => Statement;

/**
 * A statement's name: unique to its text (which names the schema), so that a server connection that holds a
 * statement of that name, prepared by any client of any wfstore version, holds this very statement.
 */
export function statementName(name: string, text: string): string {
  return `wfstore${SCHEMA_VERSION}_${createHash('sha1').update(text).digest('hex').slice(0, 10)}_${name}`;
}

/** `queryTimeoutMs`: the client's bound on each statement, carried by the statement so it holds on any pool. */
export function buildQueries(S: string, queryTimeoutMs: number) {
  const statement: Define = (name, text) => {
    const named = statementName(name, text);
    return (values) => ({ name: named, text, values, types: TYPES, query_timeout: queryTimeoutMs });
  };
  return { ...runStatements(S, statement), ...eventStatements(S, statement), ...importStatements(S, statement) };
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
    listRuns: runLister(S, statement),
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

const LISTING: ListingDialect = {
  placeholder: (index, kind) =>
    `$${index}::${kind === 'timestamp' ? 'timestamptz' : kind === 'limit' ? 'bigint' : 'text'}`,
  noLimit: null,
  range: 'row bounds',
};

/** listWorkflowRuns: a named statement per shape of request (sql/list-runs.ts), defined on first use. */
function runLister(S: string, statement: Define): (request: ListRunsRequest) => TimedQuery {
  const defined = new Map<string, Statement>();
  return (request) => {
    const { shape, clauses, values } = runListing(request, LISTING);
    let listing = defined.get(shape);
    if (listing === undefined) {
      listing = statement(`list_runs_${shape}`, `SELECT ${RUN_COLUMNS} FROM ${S}.workflow_runs r ${clauses}`);
      defined.set(shape, listing);
    }
    return listing(values);
  };
}

/**
 * The run's last_sequence and its row with the highest sequence, checked on the server: `tail_checksum` as
 * stored and `tail_expected` as its content gives it (sql/checksum.ts in SQL). For `FROM workflow_runs r`.
 */
const tail = (S: string) =>
  `LEFT JOIN LATERAL (
     SELECT t.sequence AS tail_sequence, t.checksum AS tail_checksum, ${postgresChecksumSql('t', iso)} AS tail_expected
     FROM ${S}.workflow_events t WHERE t.run_id = r.id ORDER BY t.sequence DESC LIMIT 1
   ) tail ON true`;
const TAIL_COLUMNS = 'r.last_sequence, tail.tail_sequence, tail.tail_checksum, tail.tail_expected';
/** The tail is sound: no rows and last_sequence 0, or the last row at last_sequence with its checksum. */
const SOUND = `(seen.tail_sequence IS NULL AND seen.last_sequence = 0)
  OR (seen.tail_sequence = seen.last_sequence AND seen.tail_checksum = seen.tail_expected)`;
const EVENT_COLUMNS = `e.run_id, e.sequence, e.event_type, ${iso('e.timestamp')} AS timestamp,
  e.payload::text AS payload, e.checksum`;

/**
 * One append, one statement. `seen` reads the run and checks its tail in the statement's snapshot (consistent:
 * every append raises last_sequence and inserts its row in one commit); only a sound run's counter row is
 * then locked and raised, so concurrent appends on any connection queue there and each gets the next number.
 * The client sends the hash of the event's content ($5); the statement seals it with the run and the
 * sequence it took (sql/checksum.ts). It returns the run's tail as seen, and the sequence when it appended:
 * no row is an unknown run, a null sequence a damaged one.
 */
const appendText = (S: string, output: string, fence = '') =>
  `WITH seen AS (
     SELECT ${TAIL_COLUMNS} FROM ${S}.workflow_runs r ${tail(S)} WHERE r.id = $1
   ), counter AS (
     UPDATE ${S}.workflow_runs SET last_sequence = last_sequence + 1
     WHERE id = $1 AND (SELECT ${SOUND} FROM seen)${fence}
     RETURNING id, last_sequence
   ), event AS (
     INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload, checksum)
     SELECT id, last_sequence, $2, $3, $4::json, ${postgresSealSql('id', 'last_sequence', '$5::text')} FROM counter
     RETURNING sequence
   )${output}
   SELECT seen.*, event.sequence FROM seen LEFT JOIN event ON true`;

/**
 * A fenced append's conditions (WF-SEQ-4), on the run's row as the UPDATE locks it (after a wait, the row as
 * committed meanwhile is checked again): the status ($p), the revision ($p+1: nothing updated the run since it
 * was read), and each expected metadata key's value as JSON text ($p+2 keys, $p+3 texts). Equal text is equal
 * JSON; text that differs may still be equal JSON (key order), so the driver decides a refusal in JavaScript.
 * Metadata with a \u escape is never read here (PostgreSQL's json operators refuse \u0000 and lone surrogates).
 */
const fence = (p: number) => `
       AND ($${p}::text IS NULL OR status = $${p})
       AND ($${p + 1}::bigint IS NULL OR revision = $${p + 1})
       AND ($${p + 2}::text[] IS NULL OR CASE WHEN strpos(metadata::text, '\\u') > 0 THEN false ELSE NOT EXISTS (
         SELECT FROM unnest($${p + 2}::text[], $${p + 3}::text[]) AS x (key, value)
         WHERE (metadata -> x.key)::text IS DISTINCT FROM x.value
       ) END)`;

/** An append's output CTE: a node_completed event's output, written by the same statement. */
const outputText = (S: string) => `, output AS (
           INSERT INTO ${S}.workflow_node_outputs (run_id, node_id, output, sequence)
           SELECT id, $6, $7::json, last_sequence FROM counter
           ON CONFLICT (run_id, node_id) DO UPDATE SET output = EXCLUDED.output, sequence = EXCLUDED.sequence
         )`;

/** A batch's fenced append is admitted when its run, as locked, matches (see `fence`). */
const ADMITTED = `(input.expected_status IS NULL OR locked.status = input.expected_status)
       AND NOT EXISTS (
         SELECT FROM unnest($9::text[], $10::text[], $11::bigint[]) AS x (key, value, ord)
         WHERE x.ord = input.ord AND CASE WHEN strpos(locked.metadata::text, '\\u') > 0 THEN true
           ELSE (locked.metadata -> x.key)::text IS DISTINCT FROM x.value END
       )`;

/**
 * Many appends, to any runs, in one statement (group.ts): the appends of `appendText`, over arrays with one
 * element per call. Rows keep their order within a run (`rank`). The counter rows are locked first, in run-id
 * order, so batches from other processes wait for each other instead of deadlocking; each sound run's counter
 * is then raised by its count of rows, and each row takes base + rank. The latest completion of a node in the
 * batch writes its output (an output row cannot be changed twice in one statement). Both inserts run to
 * completion or the statement fails, so a numbered row is an appended one. One result row per call, by `ord`:
 * no run columns is an unknown run, a null sequence a damaged run (or one deleted meanwhile, or a fenced append
 * not admitted).
 *
 * `fenced`: the batch also carries fenced appends (WF-SEQ-4), checked as `fence` checks one, on the run's row as
 * `locked` returns it (the row as committed once the lock is held): $8 each call's expected status (null for
 * none), and every call's expected metadata as pairs, $9 keys, $10 JSON texts, $11 the call's `ord`. An append
 * not admitted gets no number; the driver then sends it alone, which decides it.
 */
const appendBatchText = (S: string, fenced: boolean) =>
  `WITH input AS (
     SELECT i.*
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::json[], $5::text[], $6::text[], $7::json[]${
       fenced ? ', $8::text[]' : ''
     })
       WITH ORDINALITY AS i (run_id, event_type, timestamp, payload, content, node_id, output, ${
         fenced ? 'expected_status, ' : ''
       }ord)
   ), seen AS (
     SELECT r.id, ${TAIL_COLUMNS} FROM ${S}.workflow_runs r ${tail(S)} WHERE r.id = ANY($1::text[])
   ), locked AS MATERIALIZED (
     SELECT id${fenced ? ', status, metadata' : ''} FROM ${S}.workflow_runs
     WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
   ), admitted AS (
     SELECT input.*, row_number() OVER (PARTITION BY input.run_id ORDER BY input.ord) AS rank
     FROM input${fenced ? ` JOIN locked ON locked.id = input.run_id WHERE ${ADMITTED}` : ''}
   ), counter AS (
     UPDATE ${S}.workflow_runs r SET last_sequence = r.last_sequence + c.n
     FROM (SELECT run_id, count(*) AS n FROM admitted GROUP BY run_id) c, locked, seen
     WHERE r.id = c.run_id AND locked.id = c.run_id AND seen.id = c.run_id AND (${SOUND})
     RETURNING r.id, r.last_sequence - c.n AS base
   ), numbered AS (
     SELECT admitted.*, counter.base + admitted.rank AS sequence
     FROM admitted JOIN counter ON counter.id = admitted.run_id
   ), event AS (
     INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload, checksum)
     SELECT run_id, sequence, event_type, timestamp, payload, ${postgresSealSql('run_id', 'sequence', 'content')}
     FROM numbered
   ), output AS (
     INSERT INTO ${S}.workflow_node_outputs (run_id, node_id, output, sequence)
     SELECT DISTINCT ON (run_id, node_id) run_id, node_id, output, sequence
     FROM numbered WHERE node_id IS NOT NULL ORDER BY run_id, node_id, sequence DESC
     ON CONFLICT (run_id, node_id) DO UPDATE SET output = EXCLUDED.output, sequence = EXCLUDED.sequence
   )
   SELECT input.ord, seen.last_sequence, seen.tail_sequence, seen.tail_checksum, seen.tail_expected,
          numbered.sequence
   FROM input
   LEFT JOIN seen ON seen.id = input.run_id
   LEFT JOIN numbered ON numbered.ord = input.ord
   ORDER BY input.ord`;

/** The statements that append events and read events and node outputs; `S` is the quoted schema name. */
function eventStatements(S: string, statement: Define) {
  return {
    // Two statements, because even an output CTE that writes nothing costs a plain append about 50 µs
    // (measured). A node_completed event's output is written by the same statement: both or neither exist.
    append: statement('append', appendText(S, '')),
    appendCompletion: statement('append_completion', appendText(S, outputText(S))),
    // The same, fenced (WF-SEQ-4): the conditions' values follow the append's.
    fencedAppend: statement('fenced_append', appendText(S, '', fence(6))),
    fencedAppendCompletion: statement('fenced_append_completion', appendText(S, outputText(S), fence(8))),
    appendBatch: statement('append_batch', appendBatchText(S, false)),
    fencedAppendBatch: statement('fenced_append_batch', appendBatchText(S, true)),
    // Reads that also tell an unknown run (no row) from an empty one (one row of nulls), in one snapshot,
    // with the run's tail and each row's checksum to check (sql/integrity.ts).
    listEvents: statement(
      'list_events',
      `SELECT ${TAIL_COLUMNS}, ${EVENT_COLUMNS}
       FROM ${S}.workflow_runs r
       ${tail(S)}
       LEFT JOIN LATERAL (
         SELECT * FROM ${S}.workflow_events WHERE run_id = r.id AND sequence > $2 ORDER BY sequence LIMIT $3
       ) e ON true
       WHERE r.id = $1
       ORDER BY e.sequence`,
    ),
    // Each output with the event it was recorded with, to be checked against it.
    outputs: statement(
      'outputs',
      `SELECT ${TAIL_COLUMNS}, o.node_id, o.sequence AS output_sequence, o.output::text AS output, ${EVENT_COLUMNS}
       FROM ${S}.workflow_runs r
       ${tail(S)}
       LEFT JOIN ${S}.workflow_node_outputs o ON o.run_id = r.id
       LEFT JOIN ${S}.workflow_events e ON e.run_id = o.run_id AND e.sequence = o.sequence
       WHERE r.id = $1
       ORDER BY o.sequence`,
    ),
  };
}

/** Event rows as arrays, one per column, each row sealed here with its run and sequence (sql/checksum.ts). */
const importedRows = (runId: string) =>
  `SELECT ${runId}, e.sequence, e.event_type, e.timestamp, e.payload,
          ${postgresSealSql(runId, 'e.sequence', 'e.content')}
   FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::json[], $6::text[])
     AS e (sequence, event_type, timestamp, payload, content)`;

/**
 * An imported run (wfstore copy and import) in one statement: the run's row with its own timestamps and
 * last_sequence, a first slice of its events, and its outputs — or nothing when the id is taken (no `run`
 * row, so the other inserts select nothing). Later slices of a long log go in by `importEvents`, in the
 * same transaction. The client hashes each row's content; the statement seals it (as an append does).
 */
function importStatements(S: string, statement: Define) {
  return {
    importRun: statement(
      'import_run',
      `WITH run AS (
         INSERT INTO ${S}.workflow_runs (${runColumns()}, last_sequence)
         VALUES ($1, $7, $8, $9, $10::json, $11, $12, $13) ON CONFLICT (id) DO NOTHING
         RETURNING id
       ), events AS (
         INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload, checksum)
         ${importedRows('run.id')}, run
       ), outputs AS (
         INSERT INTO ${S}.workflow_node_outputs (run_id, node_id, output, sequence)
         SELECT run.id, o.* FROM run, unnest($14::text[], $15::json[], $16::bigint[]) AS o
       )
       SELECT count(*)::int AS inserted FROM run`,
    ),
    importEvents: statement(
      'import_events',
      `INSERT INTO ${S}.workflow_events (run_id, sequence, event_type, timestamp, payload, checksum)
       ${importedRows('$1::text')}`,
    ),
  };
}

export type Queries = ReturnType<typeof buildQueries>;

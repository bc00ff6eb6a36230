// The PostgreSQL StorageDriver. Every call is one statement on a pooled connection (autocommit);
// atomicity comes from the statements themselves, not from client-side transactions. Appends that arrive
// together share one statement (group.ts).

import type { QueryResult, QueryResultRow } from 'pg';
import { runAlreadyExists, runNotFound, WorkflowStoreError } from '../../contract/errors.js';
import { applyUpdate, checkConditions, checkUpdate } from '../../contract/decide.js';
import { RUN_STATUSES, type JsonValue, type WorkflowEvent, type WorkflowRun } from '../../contract/types.js';
import { allowedSources } from '../../contract/transitions.js';
import type {
  AppendEventRequest,
  CreateEventRequest,
  EventRequest,
  ImportedEvent,
  ImportRunRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import {
  eventFromRequest,
  latestCompletions,
  runFromRecord,
  type NewRunRecord,
  type StorageDriver,
} from '../define-store.js';
import { checksumProblem, contentHash, type StoredEventRow } from '../sql/checksum.js';
import { checkOutputs, checkPage, checkTail, joinedEvent, type Nullable, type OutputRow } from '../sql/integrity.js';
import { newRunValues, type RunRow, toRun } from '../sql/rows.js';
import { AppendGroup, type BatchOutcome } from './group.js';
import pg from './pg.js';
import { type Borrowed, borrow, type StorePool } from './pool.js';
import type { Queries } from './queries.js';
import type { StatementNaming } from './statements.js';
import { deadlineQuery, explainTimeout, type TimedQuery } from './timeouts.js';
import type { Bounds } from './options.js';

/** A run's last_sequence and its last row as a statement saw them (queries.ts `tail`). */
interface RunTail {
  last_sequence: number;
  tail_sequence: number | null;
  tail_checksum: string | null;
  tail_expected: string | null;
}

/** The run's last_sequence, once its tail is checked against it (sql/integrity.ts). */
function checkRunTail(runId: string, row: RunTail): number {
  const tail =
    row.tail_sequence === null
      ? undefined
      : { sequence: row.tail_sequence, problem: checksumProblem(row.tail_checksum!, row.tail_expected!) };
  checkTail(runId, row.last_sequence, tail);
  return row.last_sequence;
}

/** Sends one statement on a transaction's connection. */
type Send = <R extends QueryResultRow>(statement: TimedQuery | string) => Promise<QueryResult<R>>;

/** Event rows per import statement: a long log goes in slices, so no one message grows without bound. */
const IMPORT_SLICE = 5_000;

/**
 * An imported log's columns as arrays (queries.ts `importRun`), each row with the hash of its content for
 * the statement to seal (as an append does).
 */
function eventArrays(events: ImportedEvent[]): unknown[][] {
  return [
    events.map((e) => e.sequence),
    events.map((e) => e.event_type),
    events.map((e) => e.timestamp),
    events.map((e) => e.payloadJson),
    events.map((e) => contentHash(e.event_type, e.timestamp, e.payloadJson)),
  ];
}

/** The outputs an imported log leaves, as arrays of node, output, sequence. */
function outputArrays(events: ImportedEvent[]): unknown[][] {
  const latest = [...latestCompletions(events)];
  return [latest.map(([node]) => node), latest.map(([, o]) => o.outputJson), latest.map(([, o]) => o.sequence)];
}

/** One append as the group (group.ts) holds it. */
interface Append {
  request: AppendEventRequest;
  timestamp: string;
}

/** The values of the batch statement (queries.ts `appendBatch`): a column per field, a row per append. */
function batchColumns(jobs: readonly { request: CreateEventRequest; timestamp: string }[]): unknown[][] {
  const column = <T>(pick: (request: CreateEventRequest, timestamp: string) => T) =>
    jobs.map((job) => pick(job.request, job.timestamp));
  return [
    column((r) => r.run_id),
    column((r) => r.event_type),
    column((_, timestamp) => timestamp),
    column((r) => r.payloadJson),
    column((r, timestamp) => contentHash(r.event_type, timestamp, r.payloadJson)),
    column((r) => r.node?.node_id ?? null),
    column((r) => r.node?.outputJson ?? null),
  ];
}

/** Whether an append has conditions (WF-SEQ-4). */
const isFenced = (request: AppendEventRequest) =>
  request.expected_status !== undefined || request.expected_metadata !== undefined;

/**
 * The conditions of a batch's appends (queries.ts `appendBatch`, fenced): each call's expected status, and every
 * expected metadata key with its JSON text and the call's `ord` (from 1).
 */
function batchConditions(jobs: readonly Append[]): unknown[][] {
  const pairs = jobs.flatMap(({ request }, i) =>
    Object.entries(request.expected_metadata ?? {}).map(([key, value]) => [key, JSON.stringify(value), i + 1] as const),
  );
  return [
    jobs.map(({ request }) => request.expected_status ?? null),
    pairs.map(([key]) => key),
    pairs.map(([, text]) => text),
    pairs.map(([, , ord]) => ord),
  ];
}

/** The JSON an update's events send per statement, at most (their payloads and outputs, as UTF-16 lengths). */
const EVENTS_SLICE_CHARS = 32 * 1024 * 1024;

/** An update's events in slices, each sent as one statement: no one message grows without bound. */
function eventSlices(events: readonly EventRequest[]): EventRequest[][] {
  const slices: EventRequest[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const event of events) {
    const chars = event.payloadJson.length + (event.node?.outputJson.length ?? 0);
    if (size + chars > EVENTS_SLICE_CHARS) {
      slices.push([]);
      size = 0;
    }
    slices.at(-1)!.push(event);
    size += chars;
  }
  return slices;
}

/** What a batch statement returns for one append. */
type BatchRow = Nullable<RunTail> & { sequence: number | null };
/** What an append statement returns: no row for an unknown run. */
type FencedRow = RunTail & { sequence: number | null };

/** One row of a batch append: its run's tail as seen (all null for an unknown run) and the sequence it took. */
function batchOutcome(runId: string, row: Nullable<RunTail> & { sequence: number | null }): BatchOutcome<number> {
  if (row.last_sequence === null) return { ok: false, error: runNotFound(runId) };
  if (row.sequence !== null) return { ok: true, value: row.sequence };
  try {
    checkRunTail(runId, row as RunTail);
  } catch (error) {
    return { ok: false, error }; // STORE_CORRUPTED: the run's tail is damaged
  }
  // The tail was sound in the statement's snapshot, yet nothing was appended: the run was deleted before its
  // row could be locked. Alone, the append finds out what holds now.
  return { ok: 'alone' };
}

/**
 * Whether a failed batch surely committed nothing and may have failed for one of its appends: an error the
 * server reported, other than those that refuse any statement now (connection, resources, a cancellation or
 * shutdown, a system error). A timeout or a lost connection leaves the outcome unknown: never sent again.
 */
function retryAlone(error: unknown): boolean {
  return error instanceof pg.DatabaseError && !['08', '53', '57', '58'].includes(String(error.code).slice(0, 2));
}

/** Optimistic updates retry when another writer got in between; this many tries means something is wrong. */
const MAX_ATTEMPTS = 1000;

export class PostgresDriver implements StorageDriver {
  readonly name = 'postgres';

  private readonly appends: AppendGroup<Append, number>;

  constructor(
    private readonly connections: StorePool,
    private readonly q: Queries,
    private readonly bounds: Bounds,
    private readonly naming: StatementNaming,
  ) {
    this.appends = new AppendGroup({
      one: (job) => this.appendAlone(job),
      many: (jobs) => this.appendBatch(jobs),
      retryAlone,
    });
  }

  /** A connection of the pool; waiting too long for one comes back saying which bound it hit. */
  private async borrow(): Promise<Borrowed> {
    try {
      return await borrow(this.connections.pool);
    } catch (error) {
      throw explainTimeout(error, this.bounds);
    }
  }

  /**
   * One statement on a connection of the pool, under the deadline (timeouts.ts); a timeout comes back saying
   * which bound it hit. A connection on which a statement failed is dropped. A statement whose name did not
   * hold on the server's connection (statements.ts) is sent again unnamed, when the mode says so.
   */
  private async query<R extends QueryResultRow>(statement: TimedQuery): Promise<QueryResult<R>> {
    const sent = this.naming.send(statement);
    const { client, done } = await this.borrow();
    let spoiled = false;
    try {
      const result = await deadlineQuery<R>(client, sent, this.bounds, () => {
        spoiled = true;
      });
      done(spoiled);
      return result;
    } catch (error) {
      done(true);
      if (this.naming.fallBack(error, sent.name !== undefined)) return this.query(statement);
      throw error;
    }
  }

  async insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    const { rowCount } = await this.query(this.q.insertRun(newRunValues(record)));
    if (rowCount === 0) throw runAlreadyExists(record.id);
    return runFromRecord(record);
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    const { rows } = await this.query<RunRow>(this.q.getRun([id]));
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    const { rows } = await this.query<RunRow>(this.q.listRuns(request));
    return rows.map(toRun);
  }

  async updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    if (request.events.length > 0) return this.updateWithEvents(request, now);
    // A status-only patch is decided in SQL; metadata (patched or expected) is compared in JavaScript.
    const inSql = request.metadata === undefined && request.expected_metadata === undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const updated = inSql ? await this.setStatus(request, now) : await this.replace(request, now);
      if (updated !== null) return updated;
    }
    throw new Error(`updateWorkflowRun on "${request.id}" lost to concurrent writers ${MAX_ATTEMPTS} times in a row`);
  }

  /** One statement decides and writes; when it changes nothing, find out why (or retry if the row moved). */
  private async setStatus(request: UpdateRunRequest, now: string): Promise<WorkflowRun | null> {
    const sources = request.status === undefined ? [...RUN_STATUSES] : allowedSources(request.status);
    const { rows } = await this.query<RunRow>(
      this.q.setStatus([request.id, request.status ?? null, now, sources, request.expected_status ?? null]),
    );
    if (rows[0] !== undefined) return toRun(rows[0]);
    const current = await this.getRun(request.id);
    if (current === null) throw runNotFound(request.id);
    checkUpdate(current, request); // throws STATUS_CONFLICT or INVALID_TRANSITION
    return null; // the run changed between the two statements: try again
  }

  /** Read, merge in JavaScript (key order), write only if the row's revision is still the one read. */
  private async replace(request: UpdateRunRequest, now: string): Promise<WorkflowRun | null> {
    const { rows } = await this.query<RunRow & { revision: number }>(this.q.getRun([request.id]));
    const row = rows[0];
    if (row === undefined) throw runNotFound(request.id);
    const { run, metadataJson } = applyUpdate(toRun(row), request, now);
    const written = await this.query<RunRow>(
      this.q.replaceRun([run.id, run.status, metadataJson, run.updated_at, row.revision]),
    );
    return written.rows[0] === undefined ? null : toRun(written.rows[0]);
  }

  /**
   * The update and its events in one transaction on one connection (WF-UPD-4, WF-UPD-5): the run's row is
   * locked, the update decided in JavaScript and written, the events appended (numbered from the same row): one
   * by the lone append's statement, several by the batch statement, a statement per slice of the list.
   */
  private updateWithEvents(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    return this.transaction(async (on) => {
      const { rows } = await on<RunRow & { revision: number }>(this.q.lockRun([request.id]));
      if (rows[0] === undefined) throw runNotFound(request.id);
      const { run, metadataJson } = applyUpdate(toRun(rows[0]), request, now);
      await on(this.q.replaceRun([run.id, run.status, metadataJson, run.updated_at, rows[0].revision]));
      if (request.events.length === 1) {
        // One event (WF-UPD-4's common case): the lone append's statement costs less than the batch's.
        const statement = this.appendStatement({ run_id: run.id, ...request.events[0]! }, run.updated_at);
        this.appended(run.id, await on(statement));
        return run;
      }
      for (const slice of eventSlices(request.events)) {
        const jobs = slice.map((event) => ({ request: { run_id: run.id, ...event }, timestamp: run.updated_at }));
        const result = await on<BatchRow>(this.q.appendBatch(batchColumns(jobs)));
        for (const row of result.rows) {
          const outcome = batchOutcome(run.id, row);
          if (outcome.ok === false) throw outcome.error;
          if (outcome.ok === 'alone') throw new Error(`the events of "${run.id}" were not appended to its locked row`);
        }
      }
      return run;
    });
  }

  /**
   * `work` in one transaction on one connection: committed when it returns, rolled back when it throws. Each
   * statement is under the deadline (timeouts.ts). When a statement's name did not hold on the server's
   * connection (statements.ts), the transaction rolled back having done nothing, and runs again unnamed when
   * the mode says so.
   */
  private async transaction<T>(work: (on: Send) => Promise<T>): Promise<T> {
    const { client, done } = await this.borrow();
    let spoiled = false;
    let nameFailed: unknown;
    const on: Send = async <R extends QueryResultRow>(statement: TimedQuery | string) => {
      // BEGIN and COMMIT carry the client's bound too: a frozen server must not hold the call forever.
      const query =
        typeof statement === 'string'
          ? { text: statement, query_timeout: this.bounds.queryTimeoutMs }
          : this.naming.send(statement);
      try {
        return await deadlineQuery<R>(client, query, this.bounds, () => {
          spoiled = true;
        });
      } catch (error) {
        if (query.name !== undefined) nameFailed = error;
        throw error;
      }
    };
    let failed: unknown;
    let again = false;
    try {
      await on('BEGIN');
      const result = await work(on);
      await on('COMMIT');
      return result;
    } catch (error) {
      failed = error;
      await client.query({ text: 'ROLLBACK', query_timeout: this.bounds.queryTimeoutMs } as TimedQuery).catch(() => {});
      again = nameFailed !== undefined && this.naming.fallBack(nameFailed, true);
      if (!again) throw error;
    } finally {
      // A connection whose transaction state is unknown (a timeout, a lost server) is not reused, nor one a
      // late cancel request may still reach.
      done(again || spoiled || (failed !== undefined && !(failed instanceof WorkflowStoreError)));
    }
    return this.transaction(work);
  }

  async deleteRun(id: string): Promise<boolean> {
    const { rowCount } = await this.query(this.q.deleteRun([id]));
    return (rowCount ?? 0) > 0;
  }

  /**
   * The one statement that appends an event (and, for node_completed, upserts its output), with the hash of
   * the event's content for the statement to seal into its checksum.
   */
  private appendStatement(request: CreateEventRequest, timestamp: string): TimedQuery {
    const { run_id, event_type, payloadJson } = request;
    const values = [run_id, event_type, timestamp, payloadJson, contentHash(event_type, timestamp, payloadJson)];
    return request.node === undefined
      ? this.q.append(values)
      : this.q.appendCompletion([...values, request.node.node_id, request.node.outputJson]);
  }

  /** The sequence an append statement took; RUN_NOT_FOUND, or STORE_CORRUPTED when the run's tail is damaged. */
  private appended(runId: string, result: QueryResult<RunTail & { sequence: number | null }>): number {
    const row = result.rows[0];
    if (row === undefined) throw runNotFound(runId);
    if (row.sequence !== null) return row.sequence;
    checkRunTail(runId, row); // the statement appends only to a sound run: this throws STORE_CORRUPTED
    throw new Error(`the append to "${runId}" wrote nothing, yet the run's tail it saw is sound`);
  }

  async appendEvent(request: AppendEventRequest, timestamp: string): Promise<WorkflowEvent> {
    return eventFromRequest(request, await this.appends.append({ request, timestamp }), timestamp);
  }

  /** A fenced append statement (queries.ts `fence`): the status, the revision read, the expected keys' JSON texts. */
  private fencedStatement(request: CreateEventRequest, timestamp: string, conditions: unknown[]): TimedQuery {
    const { run_id, event_type, payloadJson, node } = request;
    const values = [run_id, event_type, timestamp, payloadJson, contentHash(event_type, timestamp, payloadJson)];
    return node === undefined
      ? this.q.fencedAppend([...values, ...conditions])
      : this.q.fencedAppendCompletion([...values, node.node_id, node.outputJson, ...conditions]);
  }

  /**
   * A fenced append (WF-SEQ-4), atomically with its checks. First one statement that checks the status and each
   * expected key's JSON text on the row it locks. When that appends nothing, the run is read and the conditions
   * decided in JavaScript (JSON equality, WF-CAS-3); a run that passes gets the append fenced by the revision
   * read, so only if no update came in between (else it is read again).
   */
  private async appendFenced(request: AppendEventRequest, timestamp: string): Promise<number> {
    const { run_id, expected_status, expected_metadata } = request;
    const expected = expected_metadata === undefined ? undefined : Object.entries(expected_metadata);
    const first = await this.query<FencedRow>(
      this.fencedStatement(request, timestamp, [
        expected_status ?? null,
        null,
        expected?.map(([key]) => key) ?? null,
        expected?.map(([, value]) => JSON.stringify(value)) ?? null,
      ]),
    );
    if (first.rows[0] === undefined) throw runNotFound(run_id);
    if (first.rows[0].sequence !== null) return first.rows[0].sequence;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { rows } = await this.query<RunRow & { revision: number }>(this.q.getRun([run_id]));
      if (rows[0] === undefined) throw runNotFound(run_id);
      checkConditions(toRun(rows[0]), request);
      const result = await this.query<FencedRow>(
        this.fencedStatement(request, timestamp, [null, rows[0].revision, null, null]),
      );
      const row = result.rows[0];
      if (row === undefined) throw runNotFound(run_id);
      if (row.sequence !== null) return row.sequence;
      checkRunTail(run_id, row); // a damaged tail is STORE_CORRUPTED; a sound one, an update in between
    }
    throw new Error(`createWorkflowEvent on "${run_id}" lost to concurrent updates ${MAX_ATTEMPTS} times in a row`);
  }

  /** One append in its own statement: the path of a lone append, and of one sent again alone (group.ts). */
  private async appendAlone({ request, timestamp }: Append): Promise<number> {
    if (isFenced(request)) return this.appendFenced(request, timestamp);
    const result = await this.query<RunTail & { sequence: number | null }>(this.appendStatement(request, timestamp));
    return this.appended(request.run_id, result);
  }

  /**
   * Appends in one statement (queries.ts `appendBatch`): the outcome of each, in order. With fenced appends among
   * them, the statement that also checks their conditions (`fencedAppendBatch`); one it does not admit is sent
   * again alone, to be decided there.
   */
  private async appendBatch(jobs: Append[]): Promise<BatchOutcome<number>[]> {
    const statement = jobs.some((job) => isFenced(job.request))
      ? this.q.fencedAppendBatch([...batchColumns(jobs), ...batchConditions(jobs)])
      : this.q.appendBatch(batchColumns(jobs));
    const { rows } = await this.query<BatchRow>(statement);
    return rows.map((row, i) => batchOutcome(jobs[i]!.request.run_id, row));
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    const { rows } = await this.query<RunTail & Nullable<StoredEventRow>>(
      this.q.listEvents([request.run_id, request.after_sequence, request.limit ?? null]),
    );
    if (rows[0] === undefined) throw runNotFound(request.run_id);
    const last = checkRunTail(request.run_id, rows[0]);
    return checkPage(
      request,
      last,
      rows.map(joinedEvent).filter((row) => row !== undefined),
    );
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    const { rows } = await this.query<RunTail & OutputRow>(this.q.outputs([runId]));
    if (rows[0] === undefined) throw runNotFound(runId);
    checkRunTail(runId, rows[0]);
    return checkOutputs(
      runId,
      rows.filter((row) => row.node_id !== null),
    );
  }

  /**
   * One statement when the run is new and its log short (the common case in a copy); a transaction when it
   * replaces a run or comes in slices.
   */
  async importRun({ run, events }: ImportRunRequest, options: { replace: boolean }): Promise<void> {
    const [first, ...rest] = Array.from({ length: Math.ceil(events.length / IMPORT_SLICE) }, (_, i) =>
      events.slice(i * IMPORT_SLICE, (i + 1) * IMPORT_SLICE),
    );
    const row = [run.workflow_name, run.status, run.user_message, run.metadataJson, run.created_at, run.updated_at];
    const whole = this.q.importRun([
      run.id,
      ...eventArrays(first ?? []),
      ...row,
      events.length,
      ...outputArrays(events),
    ]);
    const put = async (send: Send) => {
      const { rows } = await send<{ inserted: number }>(whole);
      if (rows[0]?.inserted !== 1) throw runAlreadyExists(run.id);
      for (const slice of rest) await send(this.q.importEvents([run.id, ...eventArrays(slice)]));
    };
    if (!options.replace && rest.length === 0) return put((statement) => this.query(statement as TimedQuery));
    await this.transaction(async (on) => {
      if (options.replace) await on(this.q.deleteRun([run.id]));
      await put(on);
    });
  }

  async close(): Promise<void> {
    await this.connections.end();
  }
}

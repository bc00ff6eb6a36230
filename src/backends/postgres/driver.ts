// The PostgreSQL StorageDriver. Every call is one statement on a pooled connection (autocommit);
// atomicity comes from the statements themselves, not from client-side transactions.

import type pg from 'pg';
import { runAlreadyExists, runNotFound, WorkflowStoreError } from '../../contract/errors.js';
import { applyUpdate, checkUpdate } from '../../contract/rules.js';
import { RUN_STATUSES, type JsonValue, type WorkflowEvent, type WorkflowRun } from '../../contract/types.js';
import { allowedSources } from '../../contract/transitions.js';
import type {
  CreateEventRequest,
  EventRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';
import { newRunValues, type RunRow, toRun } from '../sql/rows.js';
import type { StorePool } from './pool.js';
import type { Queries } from './queries.js';
import { type Bounds, explainTimeout, type TimedQuery } from './timeouts.js';

/** Optimistic updates retry when another writer got in between; this many tries means something is wrong. */
const MAX_ATTEMPTS = 1000;

export class PostgresDriver implements StorageDriver {
  readonly name = 'postgres';

  constructor(
    private readonly connections: StorePool,
    private readonly q: Queries,
    private readonly bounds: Bounds,
  ) {}

  /** One statement; a timeout comes back saying which bound it hit. */
  private async query<R extends pg.QueryResultRow>(statement: TimedQuery): Promise<pg.QueryResult<R>> {
    try {
      return await this.connections.pool.query<R>(statement);
    } catch (error) {
      throw explainTimeout(error, this.bounds);
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
    const { rows } = await this.query<RunRow>(
      this.q.listRuns([request.status ?? null, request.workflow_name ?? null, request.limit ?? null]),
    );
    return rows.map(toRun);
  }

  async updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    if (request.event !== undefined) return this.updateWithEvent(request, request.event, now);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const updated =
        request.metadata === undefined ? await this.setStatus(request, now) : await this.replace(request, now);
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
   * The update and its event in one transaction on one connection (WF-UPD-4): the run's row is locked,
   * the update decided in JavaScript and written, the event appended (numbered from the same row).
   */
  private async updateWithEvent(request: UpdateRunRequest, event: EventRequest, now: string): Promise<WorkflowRun> {
    const client = await this.connections.pool.connect();
    const on = async <R extends pg.QueryResultRow>(statement: TimedQuery | string) => {
      // BEGIN and COMMIT carry the client's bound too: a frozen server must not hold the call forever.
      const query =
        typeof statement === 'string' ? { text: statement, query_timeout: this.bounds.queryTimeoutMs } : statement;
      try {
        return await client.query<R>(query);
      } catch (error) {
        throw explainTimeout(error, this.bounds);
      }
    };
    let failed: unknown;
    try {
      await on('BEGIN');
      const { rows } = await on<RunRow & { revision: number }>(this.q.lockRun([request.id]));
      if (rows[0] === undefined) throw runNotFound(request.id);
      const { run, metadataJson } = applyUpdate(toRun(rows[0]), request, now);
      await on(this.q.replaceRun([run.id, run.status, metadataJson, run.updated_at, rows[0].revision]));
      await on(this.appendStatement({ run_id: run.id, ...event }, run.updated_at));
      await on('COMMIT');
      return run;
    } catch (error) {
      failed = error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // A connection whose transaction state is unknown (a timeout, a lost server) is not reused.
      client.release(failed !== undefined && !(failed instanceof WorkflowStoreError));
    }
  }

  async deleteRun(id: string): Promise<boolean> {
    const { rowCount } = await this.query(this.q.deleteRun([id]));
    return (rowCount ?? 0) > 0;
  }

  /** The one statement that appends an event (and, for node_completed, upserts its output). */
  private appendStatement(request: CreateEventRequest, timestamp: string): TimedQuery {
    const values = [request.run_id, request.event_type, timestamp, request.payloadJson];
    return request.node === undefined
      ? this.q.append(values)
      : this.q.appendCompletion([...values, request.node.node_id, request.node.outputJson]);
  }

  async appendEvent(request: CreateEventRequest, timestamp: string): Promise<WorkflowEvent> {
    const { rows } = await this.query<{ sequence: number }>(this.appendStatement(request, timestamp));
    if (rows[0] === undefined) throw runNotFound(request.run_id);
    return eventFromRequest(request, rows[0].sequence, timestamp);
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    const { rows } = await this.query<Partial<WorkflowEvent>>(
      this.q.listEvents([request.run_id, request.after_sequence, request.limit ?? null]),
    );
    if (rows.length === 0) throw runNotFound(request.run_id);
    return rows.filter((row): row is WorkflowEvent => row.sequence != null);
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    const { rows } = await this.query<{ node_id: string | null; output: JsonValue }>(this.q.outputs([runId]));
    if (rows.length === 0) throw runNotFound(runId);
    return new Map(rows.filter((row) => row.node_id !== null).map((row) => [row.node_id!, row.output]));
  }

  async close(): Promise<void> {
    await this.connections.end();
  }
}

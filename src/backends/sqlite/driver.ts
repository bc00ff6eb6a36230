// The SQLite StorageDriver. better-sqlite3 is synchronous: within one process calls never interleave;
// across processes, writes take the database's write lock up front (BEGIN IMMEDIATE) and wait for it
// up to busy_timeout.

import type Database from 'better-sqlite3';
import { runAlreadyExists, runNotFound } from '../../contract/errors.js';
import { applyUpdate } from '../../contract/rules.js';
import type { JsonObject, JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import type {
  CreateEventRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';
import { newRunValues, toRun } from '../sql/rows.js';
import { prepareQueries, type EventRow, type Queries } from './queries.js';

export class SqliteDriver implements StorageDriver {
  readonly name = 'sqlite';
  private readonly q: Queries;
  private readonly appendTx: (request: CreateEventRequest, timestamp: string) => number;
  private readonly updateTx: (request: UpdateRunRequest, now: string) => WorkflowRun;
  private readonly listEventsTx: (request: ListEventsRequest) => EventRow[];
  private readonly outputsTx: (runId: string) => { node_id: string; output: string }[];

  constructor(private readonly db: Database.Database) {
    this.q = prepareQueries(db);
    const q = this.q;

    // Sequence, event row and node output commit together or not at all. Numbering from max(sequence)
    // costs no write (a counter row would be one more page per append); it is safe because the
    // transaction holds the database's write lock from its first statement (BEGIN IMMEDIATE).
    const insert = (request: CreateEventRequest, timestamp: string): number => {
      const { found, last } = q.lastSequence.get({ run: request.run_id })!;
      if (found === null) throw runNotFound(request.run_id);
      const sequence = last + 1;
      q.insertEvent.run(request.run_id, sequence, request.event_type, timestamp, request.payloadJson);
      if (request.node !== undefined)
        q.upsertOutput.run(request.run_id, request.node.node_id, request.node.outputJson, sequence);
      return sequence;
    };
    const append = db.transaction(insert);
    this.appendTx = (request, timestamp) => append.immediate(request, timestamp);

    const update = db.transaction((request: UpdateRunRequest, now: string): WorkflowRun => {
      const row = q.getRun.get(request.id);
      if (row === undefined) throw runNotFound(request.id);
      const { run, metadataJson } = applyUpdate(toRun(row), request, now);
      q.updateRun.run(run.status, metadataJson, run.updated_at, run.id);
      // In the same transaction: a reader sees the update and its event, or neither (WF-UPD-4).
      if (request.event !== undefined) insert({ run_id: run.id, ...request.event }, run.updated_at);
      return run;
    });
    this.updateTx = (request, now) => update.immediate(request, now);

    // Reads that check the run and read its rows see one snapshot.
    this.listEventsTx = db.transaction((request: ListEventsRequest) => {
      const rows = q.listEvents.all(request.run_id, request.after_sequence, request.limit ?? -1);
      if (rows.length === 0 && q.runExists.get(request.run_id) === undefined) throw runNotFound(request.run_id);
      return rows;
    });
    this.outputsTx = db.transaction((runId: string) => {
      const rows = q.outputs.all(runId);
      if (rows.length === 0 && q.runExists.get(runId) === undefined) throw runNotFound(runId);
      return rows;
    });
  }

  async insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    const { changes } = this.q.insertRun.run(...newRunValues(record));
    if (changes === 0) throw runAlreadyExists(record.id);
    return runFromRecord(record);
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    const row = this.q.getRun.get(id);
    return row === undefined ? null : toRun(row);
  }

  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    return this.q.listRuns
      .all({ status: request.status ?? null, workflow_name: request.workflow_name ?? null, limit: request.limit ?? -1 })
      .map(toRun);
  }

  async updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    return this.updateTx(request, now);
  }

  async deleteRun(id: string): Promise<boolean> {
    return this.q.deleteRun.run(id).changes > 0;
  }

  async appendEvent(request: CreateEventRequest, timestamp: string): Promise<WorkflowEvent> {
    return eventFromRequest(request, this.appendTx(request, timestamp), timestamp);
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    return this.listEventsTx(request).map((row) => ({
      run_id: row.run_id,
      sequence: row.sequence,
      event_type: row.event_type,
      timestamp: row.timestamp,
      payload: JSON.parse(row.payload) as JsonObject,
    }));
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    return new Map(this.outputsTx(runId).map((row) => [row.node_id, JSON.parse(row.output) as JsonValue]));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

// The SQLite StorageDriver. better-sqlite3 is synchronous: within one process calls never interleave;
// across processes, writes take the database's write lock up front (BEGIN IMMEDIATE) and wait for it
// up to busy_timeout.

import type Database from 'better-sqlite3';
import { runAlreadyExists, runNotFound } from '../../contract/errors.js';
import { applyUpdate } from '../../contract/rules.js';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import type {
  CreateEventRequest,
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
import { contentHash, rowProblem, sealChecksum } from '../sql/checksum.js';
import { checkOutputs, checkPage, checkTail, joinedEvent } from '../sql/integrity.js';
import { newRunValues, toRun } from '../sql/rows.js';
import { IMPORT_ROWS, prepareQueries, type Queries } from './queries.js';

export class SqliteDriver implements StorageDriver {
  readonly name = 'sqlite';
  private readonly q: Queries;
  private readonly appendTx: (request: CreateEventRequest, timestamp: string) => number;
  private readonly updateTx: (request: UpdateRunRequest, now: string) => WorkflowRun;
  private readonly listEventsTx: (request: ListEventsRequest) => WorkflowEvent[];
  private readonly outputsTx: (runId: string) => Map<string, JsonValue>;
  private readonly importTx: (request: ImportRunRequest, replace: boolean) => void;

  constructor(private readonly db: Database.Database) {
    this.q = prepareQueries(db);
    const q = this.q;

    // The run's last_sequence, once its last row is checked against it (sql/integrity.ts).
    const checkedLast = (runId: string): number => {
      const state = q.runState.get(runId);
      if (state === undefined) throw runNotFound(runId);
      const tail = joinedEvent(state);
      checkTail(runId, state.last, tail && { sequence: tail.sequence, problem: rowProblem(tail) });
      return state.last;
    };

    // Sequence, counter, event row and node output commit together or not at all. The number is safe
    // because the transaction holds the database's write lock from its first statement (BEGIN IMMEDIATE).
    const insert = (request: CreateEventRequest, timestamp: string): number => {
      const { run_id, event_type, payloadJson } = request;
      const sequence = checkedLast(run_id) + 1;
      q.setLastSequence.run(sequence, run_id);
      const checksum = sealChecksum(run_id, sequence, contentHash(event_type, timestamp, payloadJson));
      q.insertEvent.run(run_id, sequence, event_type, timestamp, payloadJson, checksum);
      if (request.node !== undefined)
        q.upsertOutput.run(run_id, request.node.node_id, request.node.outputJson, sequence);
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

    // Reads check the run and the rows they return in one snapshot.
    this.listEventsTx = db.transaction((request: ListEventsRequest) => {
      const last = checkedLast(request.run_id);
      return checkPage(request, last, q.listEvents.all(request.run_id, request.after_sequence, request.limit ?? -1));
    });
    this.outputsTx = db.transaction((runId: string) => {
      checkedLast(runId);
      return checkOutputs(runId, q.outputs.all(runId));
    });

    // The old run (if replaced) goes and the new one comes in one transaction: a reader sees one or the other.
    const importWhole = db.transaction(({ run, events }: ImportRunRequest, replace: boolean) => {
      if (replace) q.deleteRun.run(run.id);
      if (q.insertRun.run(...newRunValues(run)).changes === 0) throw runAlreadyExists(run.id);
      const rows = events.map(({ sequence, event_type, timestamp, payloadJson }) => {
        const checksum = sealChecksum(run.id, sequence, contentHash(event_type, timestamp, payloadJson));
        return [run.id, sequence, event_type, timestamp, payloadJson, checksum] as const;
      });
      // Many rows a statement: each call into SQLite costs more than the row it inserts.
      let at = 0;
      for (; at + IMPORT_ROWS <= rows.length; at += IMPORT_ROWS)
        q.insertEvents.run(rows.slice(at, at + IMPORT_ROWS).flat());
      for (const row of rows.slice(at)) q.insertEvent.run(...row);
      for (const [nodeId, { outputJson, sequence }] of latestCompletions(events))
        q.upsertOutput.run(run.id, nodeId, outputJson, sequence);
      q.setLastSequence.run(events.length, run.id);
    });
    this.importTx = (request, replace) => importWhole.immediate(request, replace);
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
    return this.listEventsTx(request);
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    return this.outputsTx(runId);
  }

  async importRun(request: ImportRunRequest, options: { replace: boolean }): Promise<void> {
    this.importTx(request, options.replace);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

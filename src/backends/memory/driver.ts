// The in-memory StorageDriver: plain maps holding JSON text, so nothing is shared with callers.
// Operations run to completion without awaiting in between, so each is atomic within the process.

import { runAlreadyExists, runNotFound } from '../../contract/errors.js';
import { applyUpdate, checkConditions, selectRuns } from '../../contract/decide.js';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import type {
  AppendEventRequest,
  CreateEventRequest,
  ImportRunRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';

export interface StoredRun {
  run: string; // the WorkflowRun as JSON
  events: string[]; // each WorkflowEvent as JSON; index + 1 is its sequence
  outputs: Map<string, { sequence: number; output: string }>;
}

/** The data of one memory store; several stores (one after another, or at once) may share it. */
export class MemoryDatabase {
  readonly runs = new Map<string, StoredRun>();
}

export class MemoryDriver implements StorageDriver {
  readonly name = 'memory';

  constructor(protected readonly db: MemoryDatabase) {}

  protected entry(runId: string): StoredRun {
    const entry = this.db.runs.get(runId);
    if (entry === undefined) throw runNotFound(runId);
    return entry;
  }

  async insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    if (this.db.runs.has(record.id)) throw runAlreadyExists(record.id);
    const text = JSON.stringify(runFromRecord(record));
    this.db.runs.set(record.id, { run: text, events: [], outputs: new Map() });
    return JSON.parse(text) as WorkflowRun;
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    const entry = this.db.runs.get(id);
    return entry === undefined ? null : (JSON.parse(entry.run) as WorkflowRun);
  }

  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    return selectRuns(
      [...this.db.runs.values()].map((entry) => JSON.parse(entry.run) as WorkflowRun),
      request,
    );
  }

  async updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    const entry = this.entry(request.id);
    const { run } = applyUpdate(JSON.parse(entry.run) as WorkflowRun, request, now);
    entry.run = JSON.stringify(run);
    // No await in between: the update and its events are one step for every other caller (WF-UPD-4, WF-UPD-5).
    for (const event of request.events) this.append(entry, { run_id: run.id, ...event }, run.updated_at);
    return run;
  }

  async deleteRun(id: string): Promise<boolean> {
    return this.db.runs.delete(id);
  }

  async appendEvent(request: AppendEventRequest, timestamp: string): Promise<WorkflowEvent> {
    const entry = this.entry(request.run_id);
    checkConditions(JSON.parse(entry.run) as WorkflowRun, request);
    return this.append(entry, request, timestamp);
  }

  protected append(entry: StoredRun, request: CreateEventRequest, timestamp: string): WorkflowEvent {
    const sequence = entry.events.length + 1;
    const event = eventFromRequest(request, sequence, timestamp);
    entry.events.push(JSON.stringify(event));
    if (request.node !== undefined)
      entry.outputs.set(request.node.node_id, { sequence, output: request.node.outputJson });
    return event;
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    const events = this.entry(request.run_id).events;
    const end = request.limit === undefined ? events.length : request.after_sequence + request.limit;
    return events.slice(request.after_sequence, end).map((text) => JSON.parse(text) as WorkflowEvent);
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    const outputs = [...this.entry(runId).outputs].sort((a, b) => a[1].sequence - b[1].sequence);
    return new Map(outputs.map(([nodeId, { output }]) => [nodeId, JSON.parse(output) as JsonValue]));
  }

  async importRun(request: ImportRunRequest, options: { replace: boolean }): Promise<void> {
    const { run } = request;
    if (this.db.runs.has(run.id) && !options.replace) throw runAlreadyExists(run.id);
    // Built aside, then put in place in one step: the old run (if replaced) and the new one never mix.
    const entry: StoredRun = {
      run: JSON.stringify({ ...runFromRecord(run), updated_at: run.updated_at }),
      events: [],
      outputs: new Map(),
    };
    for (const event of request.events) this.append(entry, { run_id: run.id, ...event }, event.timestamp);
    this.db.runs.set(run.id, entry);
  }

  async close(): Promise<void> {}
}

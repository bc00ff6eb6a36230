// The oracle for the property tests: the contract as plain data structures. It shares nothing with the
// backends but the contract's types and its validation module (what counts as valid input); the rules —
// existence, compare-and-set, transitions, merging, numbering, outputs — are written out again here.

import type { JsonObject, JsonValue, RunStatus, WorkflowEvent, WorkflowRun } from '../contract/types.js';
import {
  type CreateEventRequest,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseListRuns,
  parseUpdateRun,
  validateId,
} from '../contract/validation.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

const NEXT: Record<RunStatus, RunStatus[]> = {
  pending: ['running', 'failed', 'cancelled'],
  running: ['paused', 'completed', 'failed', 'cancelled'],
  paused: ['running', 'failed', 'cancelled'],
  failed: ['running'],
  completed: [],
  cancelled: [],
};

interface ModelRun {
  run: WorkflowRun;
  events: WorkflowEvent[];
  outputs: Map<string, { sequence: number; output: JsonValue }>;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class StoreModel {
  private readonly runs = new Map<string, ModelRun>();

  constructor(
    private readonly now: () => Date,
    private readonly generateId: () => string,
  ) {}

  /** Runs `body`; an error thrown by the validation module becomes its code, like a store's would. */
  private outcome<T>(body: () => Outcome<T>): Outcome<T> {
    try {
      return body();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === undefined) throw error;
      return { ok: false, code };
    }
  }

  createWorkflowRun(input: unknown): Outcome<WorkflowRun> {
    return this.outcome(() => {
      const request = parseCreateRun(input);
      const id = request.id ?? validateId(this.generateId(), 'generateId()');
      if (this.runs.has(id)) return { ok: false, code: 'RUN_ALREADY_EXISTS' };
      const time = this.now().toISOString();
      const run: WorkflowRun = {
        id,
        workflow_name: request.workflow_name,
        status: request.status,
        user_message: request.user_message,
        metadata: JSON.parse(request.metadataJson) as JsonObject,
        created_at: time,
        updated_at: time,
      };
      this.runs.set(id, { run, events: [], outputs: new Map() });
      return { ok: true, value: copy(run) };
    });
  }

  getWorkflowRun(id: unknown): Outcome<WorkflowRun | null> {
    return this.outcome(() => {
      const entry = this.runs.get(validateId(id, 'id'));
      return { ok: true, value: entry ? copy(entry.run) : null };
    });
  }

  listWorkflowRuns(options: unknown): Outcome<WorkflowRun[]> {
    return this.outcome(() => {
      const { status, workflow_name, limit } = parseListRuns(options);
      const runs = [...this.runs.values()]
        .map((e) => e.run)
        .filter(
          (r) =>
            (status === undefined || r.status === status) &&
            (workflow_name === undefined || r.workflow_name === workflow_name),
        )
        .sort((a, b) =>
          a.created_at !== b.created_at
            ? a.created_at < b.created_at
              ? -1
              : 1
            : a.id < b.id
              ? -1
              : a.id > b.id
                ? 1
                : 0,
        );
      return { ok: true, value: copy(limit === undefined ? runs : runs.slice(0, limit)) };
    });
  }

  updateWorkflowRun(id: unknown, patch: unknown, options: unknown): Outcome<WorkflowRun> {
    return this.outcome(() => {
      const request = parseUpdateRun(id, patch, options);
      const entry = this.runs.get(request.id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      const from = entry.run.status;
      if (request.expected_status !== undefined && from !== request.expected_status)
        return { ok: false, code: 'STATUS_CONFLICT' };
      const to = request.status ?? from;
      if (to !== from && !NEXT[from].includes(to)) return { ok: false, code: 'INVALID_TRANSITION' };
      const time = this.now().toISOString();
      entry.run = {
        ...entry.run,
        status: to,
        metadata:
          request.metadata === undefined ? entry.run.metadata : copy({ ...entry.run.metadata, ...request.metadata }),
        // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as text
        updated_at: time > entry.run.updated_at ? time : entry.run.updated_at,
      };
      // The event given with the update goes in with it, timestamped like it.
      if (request.event) this.append(entry, { run_id: request.id, ...request.event }, entry.run.updated_at);
      return { ok: true, value: copy(entry.run) };
    });
  }

  deleteWorkflowRun(id: unknown): Outcome<boolean> {
    return this.outcome(() => ({ ok: true, value: this.runs.delete(validateId(id, 'id')) }));
  }

  createWorkflowEvent(input: unknown): Outcome<WorkflowEvent> {
    return this.outcome(() => {
      const request = parseCreateEvent(input);
      const entry = this.runs.get(request.run_id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      return { ok: true, value: copy(this.append(entry, request, this.now().toISOString())) };
    });
  }

  private append(entry: ModelRun, request: CreateEventRequest, timestamp: string): WorkflowEvent {
    const event: WorkflowEvent = {
      run_id: request.run_id,
      sequence: entry.events.length + 1,
      event_type: request.event_type,
      timestamp,
      payload: JSON.parse(request.payloadJson) as JsonObject,
    };
    entry.events.push(event);
    if (request.node) {
      entry.outputs.delete(request.node.node_id); // latest completion last
      const output = JSON.parse(request.node.outputJson) as JsonValue;
      entry.outputs.set(request.node.node_id, { sequence: event.sequence, output });
    }
    return event;
  }

  listWorkflowEvents(runId: unknown, options: unknown): Outcome<WorkflowEvent[]> {
    return this.outcome(() => {
      const request = parseListEvents(runId, options);
      const entry = this.runs.get(request.run_id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      const after = entry.events.filter((e) => e.sequence > request.after_sequence);
      return { ok: true, value: copy(request.limit === undefined ? after : after.slice(0, request.limit)) };
    });
  }

  getCompletedDagNodeOutputs(runId: unknown): Outcome<[string, JsonValue][]> {
    return this.outcome(() => {
      const entry = this.runs.get(validateId(runId, 'run_id'));
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      return {
        ok: true,
        value: copy([...entry.outputs].map(([id, { output }]) => [id, output] as [string, JsonValue])),
      };
    });
  }
}

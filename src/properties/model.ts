// The oracle for the property tests: the contract as plain data structures. It is a check of the text of
// docs/contract.md, not a second specification (WF-ALL-1): where the two differ, the text wins and this
// file is wrong. It shares nothing with the backends but the contract's types and its validation module
// (what counts as valid input); the rules — order of checks, existence, compare-and-set, transitions,
// merging, numbering, outputs — are written out again here, each as the rule of its version says.

import { WorkflowStoreError } from '../contract/errors.js';
import type { JsonObject, JsonValue, RunStatus, WorkflowEvent, WorkflowRun } from '../contract/types.js';
import {
  type CreateEventRequest,
  isPlainObject,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseListRuns,
  parseUpdateRun,
  validateId,
} from '../contract/validation.js';
import { atLeast, type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';

/**
 * A result or an error code. `or` lists the other codes the judged version allows: a case that only a later
 * version decides (under 1.1, bad input on an unknown run may be RUN_NOT_FOUND as well, WF-ERR-5). `field`,
 * when given, is the one the error must carry: what a STATUS_CONFLICT found different (since 1.2, WF-CAS-3).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; or?: readonly string[]; field?: string };

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

/**
 * WF-CAS-3's equality of two JSON values: the same string, number, boolean or null; arrays of equal values
 * in the same order; objects with the same keys, in any order, and equal values.
 */
function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]!));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k]!, b[k]!));
}

/** created_at, then id, in code units (WF-RUN-4); 'desc' reverses both (WF-RUN-7). */
function byPosition(order: 'asc' | 'desc') {
  const sign = order === 'desc' ? -1 : 1;
  return (a: { created_at: string; id: string }, b: { created_at: string; id: string }) =>
    sign *
    (a.created_at !== b.created_at ? (a.created_at < b.created_at ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The own data property `field` of a plain input object, read without running a getter or a Proxy trap. */
const ownField = (input: unknown, field: string): unknown =>
  isPlainObject(input) ? Object.getOwnPropertyDescriptor(input, field)?.value : undefined;

export class StoreModel {
  private readonly runs = new Map<string, ModelRun>();

  constructor(
    private readonly now: () => Date,
    private readonly generateId: () => string,
    /** The version the store is judged by: before 1.2, the order of checks outside updates is open. */
    private readonly contract: ContractVersion = LATEST_CONTRACT,
  ) {}

  /** The clock as a timestamp; outside years 1 to 9999, or no valid Date, a fault of the store (WF-DET-2). */
  /** An id from generateId: one that is not an identifier is the store's fault, not the caller's (WF-DET-2). */
  private generatedId(): string {
    const id = this.generateId();
    try {
      return validateId(id, 'generateId()');
    } catch (error) {
      throw new WorkflowStoreError(
        'BACKEND_FAILURE',
        `generateId() returned an invalid run id: ${(error as Error).message}`,
      );
    }
  }

  private timestamp(): string {
    const date = this.now();
    const year = date.getUTCFullYear();
    if (Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
      throw new WorkflowStoreError('BACKEND_FAILURE', `the clock reads ${String(date)}, outside years 1 to 9999`);
    }
    return date.toISOString();
  }

  /**
   * WF-ERR-5 (since 1.2): input is checked before the stored data. Before 1.2, a call whose input is refused
   * may also fail with the error the stored data gives: `stored` names it, or undefined when there is none.
   */
  private inputFirst<T>(outcome: Outcome<T>, stored: () => string | undefined): Outcome<T> {
    if (outcome.ok || outcome.code !== 'INVALID_INPUT' || atLeast(this.contract, '1.2')) return outcome;
    const code = stored();
    return code === undefined ? outcome : { ...outcome, or: [code] };
  }

  /** Whether the run `id` exists; undefined when `id` is not an identifier (no stored data could answer). */
  private exists(id: unknown): boolean | undefined {
    try {
      return this.runs.has(validateId(id, 'id'));
    } catch {
      return undefined;
    }
  }

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

  /**
   * An update's or a fenced append's conditions against the stored run (WF-CAS-1, WF-CAS-3, WF-SEQ-4):
   * the status first, then each expected key in its order — present, and an equal value. Undefined when the
   * run matches. Before 1.2 a conflict names nothing.
   */
  private conflict(
    run: WorkflowRun,
    conditions: { expected_status: RunStatus | undefined; expected_metadata: JsonObject | undefined },
  ): Outcome<never> | undefined {
    const conflict = (field: string): Outcome<never> => ({
      ok: false,
      code: 'STATUS_CONFLICT',
      ...(atLeast(this.contract, '1.2') ? { field } : {}),
    });
    if (conditions.expected_status !== undefined && run.status !== conditions.expected_status) {
      return conflict('status');
    }
    const expected = conditions.expected_metadata ?? {};
    const key = Object.keys(expected).find(
      (k) => !Object.hasOwn(run.metadata, k) || !sameValue(run.metadata[k]!, expected[k]!),
    );
    return key === undefined ? undefined : conflict(`metadata.${key}`);
  }

  /** Where run `id` is in the list of runs, or undefined when there is no such run. */
  positionOf(id: string): { created_at: string; id: string } | undefined {
    const run = this.runs.get(id)?.run;
    return run && { created_at: run.created_at, id: run.id };
  }

  createWorkflowRun(input: unknown): Outcome<WorkflowRun> {
    const outcome = this.outcome((): Outcome<WorkflowRun> => {
      const request = parseCreateRun(input);
      const id = request.id ?? this.generatedId();
      const time = this.timestamp();
      if (this.runs.has(id)) return { ok: false, code: 'RUN_ALREADY_EXISTS' };
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
    return this.inputFirst(outcome, () => (this.exists(ownField(input, 'id')) ? 'RUN_ALREADY_EXISTS' : undefined));
  }

  getWorkflowRun(id: unknown): Outcome<WorkflowRun | null> {
    return this.outcome(() => {
      const entry = this.runs.get(validateId(id, 'id'));
      return { ok: true, value: entry ? copy(entry.run) : null };
    });
  }

  listWorkflowRuns(options: unknown): Outcome<WorkflowRun[]> {
    return this.outcome(() => {
      const { status, workflow_name, limit, order, after, created_after, created_before } = parseListRuns(options);
      const compare = byPosition(order);
      const runs = [...this.runs.values()]
        .map((e) => e.run)
        .filter(
          (r) =>
            (status === undefined || r.status === status) &&
            (workflow_name === undefined || r.workflow_name === workflow_name) &&
            (created_after === undefined || r.created_at > created_after) &&
            (created_before === undefined || r.created_at < created_before) &&
            (after === undefined || compare(r, after) > 0),
        )
        .sort(compare);
      return { ok: true, value: copy(limit === undefined ? runs : runs.slice(0, limit)) };
    });
  }

  updateWorkflowRun(id: unknown, patch: unknown, options: unknown): Outcome<WorkflowRun> {
    return this.outcome(() => {
      const request = parseUpdateRun(id, patch, options);
      const time = this.timestamp();
      const entry = this.runs.get(request.id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      const from = entry.run.status;
      const conflict = this.conflict(entry.run, request);
      if (conflict) return conflict;
      const to = request.status ?? from;
      if (to !== from && !NEXT[from].includes(to)) return { ok: false, code: 'INVALID_TRANSITION' };
      entry.run = {
        ...entry.run,
        status: to,
        metadata:
          request.metadata === undefined ? entry.run.metadata : copy({ ...entry.run.metadata, ...request.metadata }),
        // biome-ignore lint/complexity/useMathMinMax: ISO strings, compared as text
        updated_at: time > entry.run.updated_at ? time : entry.run.updated_at,
      };
      // The events given with the update go in with it, timestamped like it.
      for (const event of request.events) this.append(entry, { run_id: request.id, ...event }, entry.run.updated_at);
      return { ok: true, value: copy(entry.run) };
    });
  }

  deleteWorkflowRun(id: unknown): Outcome<boolean> {
    return this.outcome(() => ({ ok: true, value: this.runs.delete(validateId(id, 'id')) }));
  }

  createWorkflowEvent(input: unknown, options?: unknown): Outcome<WorkflowEvent> {
    const outcome = this.outcome((): Outcome<WorkflowEvent> => {
      const request = parseCreateEvent(input, options);
      const time = this.timestamp();
      const entry = this.runs.get(request.run_id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      // The append's conditions, against the run as it is (WF-SEQ-4).
      return this.conflict(entry.run, request) ?? { ok: true, value: copy(this.append(entry, request, time)) };
    });
    return this.inputFirst(outcome, () =>
      this.exists(ownField(input, 'run_id')) === false ? 'RUN_NOT_FOUND' : undefined,
    );
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
    const outcome = this.outcome((): Outcome<WorkflowEvent[]> => {
      const request = parseListEvents(runId, options);
      const entry = this.runs.get(request.run_id);
      if (!entry) return { ok: false, code: 'RUN_NOT_FOUND' };
      const after = entry.events.filter((e) => e.sequence > request.after_sequence);
      return { ok: true, value: copy(request.limit === undefined ? after : after.slice(0, request.limit)) };
    });
    return this.inputFirst(outcome, () => (this.exists(runId) === false ? 'RUN_NOT_FOUND' : undefined));
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

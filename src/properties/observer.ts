// What the differential property can compare for a store that does not take the harness's clock or ids
// (WF-DET-1 is only a recommendation). Its timestamps are checked by the rules that hold for any clock —
// ISO UTC with milliseconds, inside the call's wall-clock window, updated_at never going back, reads
// returning what was written — and then left out of the comparison; its generated ids are checked valid
// and unique, and mapped to the model's by creation order.

import { ID_MAX_LENGTH, ID_PATTERN } from '../contract/limits.js';
import type { WorkflowEvent, WorkflowRun } from '../contract/types.js';

export interface Window {
  start: number;
  end: number;
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MASK = '(the store clock)';

function isRun(value: unknown): value is WorkflowRun {
  return typeof value === 'object' && value !== null && 'workflow_name' in value && 'created_at' in value;
}
function isEvent(value: unknown): value is WorkflowEvent {
  return typeof value === 'object' && value !== null && 'event_type' in value && 'sequence' in value;
}

export class Observer {
  /** Timestamps of the store's runs and events as first written: what later reads must return. */
  private readonly runs = new Map<string, { created_at: string; updated_at: string }>();
  private readonly events = new Map<string, string>();
  /** The store's generated ids, mapped to the model's. */
  private readonly ids = new Map<string, string>();

  constructor(
    readonly clock: boolean,
    readonly generatedIds: boolean,
  ) {}

  /**
   * Checks the rules a result must keep whatever the clock, and returns it in the model's terms: the
   * model's ids, and timestamps masked (both sides are masked before comparing).
   */
  observe(method: string, value: unknown, expected: unknown, window: Window, input: unknown): unknown {
    if (!this.generatedIds && method === 'createWorkflowRun' && isRun(value) && isRun(expected)) {
      this.noteGeneratedId(value.id, expected.id, input);
    }
    if (!this.clock) this.checkTimes(method, value, window);
    if (method === 'deleteWorkflowRun' && value === true && typeof input === 'string') this.forget(input);
    return this.translate(value);
  }

  /** The model's expected value in the same terms (timestamps masked when the store keeps its own clock). */
  expected(value: unknown): unknown {
    return this.clock ? value : mask(value);
  }

  private noteGeneratedId(storeId: string, modelId: string, input: unknown): void {
    if ((input as { id?: unknown })?.id !== undefined) return;
    if (typeof storeId !== 'string' || !ID_PATTERN.test(storeId) || storeId.length > ID_MAX_LENGTH) {
      throw new Error(`a generated run id is not an identifier (WF-VAL-6, WF-RUN-2): ${JSON.stringify(storeId)}`);
    }
    if (this.ids.has(storeId)) throw new Error(`the store generated the run id "${storeId}" twice (WF-RUN-2)`);
    this.ids.set(storeId, modelId);
  }

  private translate(value: unknown): unknown {
    const t = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(t);
      if (isRun(v)) return { ...v, id: this.ids.get(v.id) ?? v.id };
      if (isEvent(v)) return { ...v, run_id: this.ids.get(v.run_id) ?? v.run_id };
      return v;
    };
    const translated = this.ids.size === 0 ? value : t(value);
    return this.clock ? translated : mask(translated);
  }

  private forget(runId: string): void {
    this.runs.delete(runId);
    for (const key of this.events.keys()) if (key.startsWith(`${runId}\u0000`)) this.events.delete(key);
  }

  private checkTimes(method: string, value: unknown, window: Window): void {
    const records = Array.isArray(value) ? value : [value];
    for (const record of records) {
      if (isRun(record)) this.checkRun(method, record, window);
      else if (isEvent(record)) this.checkEvent(method, record, window);
    }
  }

  private checkRun(method: string, run: WorkflowRun, window: Window): void {
    const what = `run "${run.id}"`;
    isoUtc(run.created_at, `${what} created_at`);
    isoUtc(run.updated_at, `${what} updated_at`);
    const known = this.runs.get(run.id);
    if (method === 'createWorkflowRun') {
      within(run.created_at, window, `${what} created_at`);
      if (run.updated_at !== run.created_at) fail(`${what}: a new run has updated_at ${run.updated_at} ≠ created_at`);
    } else if (method === 'updateWorkflowRun' && known) {
      same(run.created_at, known.created_at, `${what} created_at changed on update`);
      if (run.updated_at < known.updated_at)
        fail(`${what}: updated_at went back from ${known.updated_at} to ${run.updated_at} (WF-UPD-2)`);
      // updated_at is max(previous, now) with now inside the call (WF-UPD-2).
      if (Date.parse(known.updated_at) < window.start) within(run.updated_at, window, `${what} updated_at`);
      else same(run.updated_at, known.updated_at, `${what} updated_at (the previous one is later than the call)`);
    } else if (known) {
      same(run.created_at, known.created_at, `${what} created_at as read`);
      same(run.updated_at, known.updated_at, `${what} updated_at as read`);
    }
    this.runs.set(run.id, { created_at: run.created_at, updated_at: run.updated_at });
  }

  private checkEvent(method: string, event: WorkflowEvent, window: Window): void {
    const what = `event ${event.sequence} of run "${event.run_id}"`;
    isoUtc(event.timestamp, `${what} timestamp`);
    const key = `${event.run_id}\u0000${event.sequence}`;
    if (method === 'createWorkflowEvent') {
      within(event.timestamp, window, `${what} timestamp`);
      this.events.set(key, event.timestamp);
    } else {
      const known = this.events.get(key);
      if (known !== undefined) same(event.timestamp, known, `${what} timestamp as listed`);
    }
  }
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (isRun(value)) return { ...value, created_at: MASK, updated_at: MASK };
  if (isEvent(value)) return { ...value, timestamp: MASK };
  return value;
}

function fail(message: string): never {
  throw new Error(`timestamps (the store keeps its own clock): ${message}`);
}
function isoUtc(value: unknown, what: string): void {
  if (typeof value !== 'string' || !ISO_UTC_MS.test(value) || new Date(value).toISOString() !== value) {
    fail(`${what} is ${JSON.stringify(value)}, not an ISO 8601 UTC timestamp with milliseconds (WF-VAL-7)`);
  }
}
function within(value: string, window: Window, what: string): void {
  const at = Date.parse(value);
  if (at < window.start || at > window.end) {
    fail(
      `${what} ${value} is outside the call ` +
        `(${new Date(window.start).toISOString()} … ${new Date(window.end).toISOString()})`,
    );
  }
}
function same(actual: string, expected: string, what: string): void {
  if (actual !== expected) fail(`${what}: ${actual}, written as ${expected}`);
}

// A store that writes every call down in the journal. Each write carries a token unique in the phase (in the
// event's payload, or the new run's metadata, as `_soak`), so it can be found in the store afterwards: once,
// never twice. A write that fails is classed as not written (the connection was never made) or unknown (the
// request may have reached the server), from the driver's error that the BACKEND_FAILURE carries.

import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type {
  CreateWorkflowEventInput,
  CreateWorkflowEventOptions,
  CreateWorkflowRunInput,
  IWorkflowStore,
  JsonValue,
  ListWorkflowEventsOptions,
  ListWorkflowRunsOptions,
  UpdateWorkflowRunOptions,
  UpdateWorkflowRunPatch,
  WorkflowEvent,
  WorkflowEventInput,
  WorkflowRun,
} from '../../src/contract/types.js';
import type { Journal, WriteKind } from './journal.js';

export const TOKEN = '_soak';

/** Failures that mean the request never left: no connection could be had. */
const NOT_SENT = [
  /ECONNREFUSED/,
  /the server did not accept a connection/,
  /no free connection in the pool/,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/,
  /Connection terminated due to connection timeout/,
];

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/** Whether a failed write may have taken effect. */
export function outcomeUnknown(error: unknown): boolean {
  if (!isWorkflowStoreError(error, 'BACKEND_FAILURE')) return false; // refused by the contract: nothing written
  // The innermost error is the driver's; a connection refused or not ready means nothing was sent.
  const innermost = causes(error).at(-1);
  const text = `${(innermost as { code?: unknown })?.code ?? ''} ${(innermost as Error)?.message ?? ''}`;
  const wrapped = causes(error)
    .map((e) => (e as Error)?.message ?? '')
    .join(' | ');
  return !NOT_SENT.some((pattern) => pattern.test(text) || pattern.test(wrapped));
}

export function errorCode(error: unknown): string {
  return isWorkflowStoreError(error) ? error.code : `not a store error: ${(error as Error)?.name ?? typeof error}`;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

export class RecordingStore implements IWorkflowStore {
  private counter = 0;

  constructor(
    private readonly inner: IWorkflowStore,
    private readonly journal: Journal,
    /** Prefix of this process's tokens: worker and incarnation. */
    private readonly prefix: string,
  ) {}

  private nextOp(): string {
    return `${this.prefix}.${++this.counter}`;
  }

  private async write<T>(
    kind: WriteKind,
    run: string,
    op: string,
    call: () => Promise<T>,
    seq: (r: T) => number | null,
  ) {
    const started = Date.now();
    this.journal.write(['c', op, this.journal.now(), kind, run]);
    try {
      const result = await call();
      this.journal.write(['a', op, this.journal.now(), Date.now() - started, seq(result)]);
      return result;
    } catch (error) {
      const ms = Date.now() - started;
      this.journal.write(['e', op, this.journal.now(), ms, errorCode(error), outcomeUnknown(error), message(error)]);
      throw error;
    }
  }

  private async read<T>(run: string, call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await call();
    } catch (error) {
      this.journal.write(['r', run, this.journal.now(), Date.now() - started, errorCode(error), message(error)]);
      throw error;
    }
  }

  createWorkflowRun(input: CreateWorkflowRunInput): Promise<WorkflowRun> {
    const op = this.nextOp();
    const run = input.id ?? '?';
    const tagged = { ...input, metadata: { ...input.metadata, [TOKEN]: op } };
    return this.write(
      'create',
      run,
      op,
      () => this.inner.createWorkflowRun(tagged),
      () => null,
    );
  }

  createWorkflowEvent(input: CreateWorkflowEventInput, options?: CreateWorkflowEventOptions): Promise<WorkflowEvent> {
    const op = this.nextOp();
    const tagged = { ...input, payload: { ...input.payload, [TOKEN]: op } };
    return this.write(
      'append',
      input.run_id,
      op,
      () => this.inner.createWorkflowEvent(tagged, options),
      (e) => e.sequence,
    );
  }

  updateWorkflowRun(id: string, patch: UpdateWorkflowRunPatch, options?: UpdateWorkflowRunOptions) {
    // An update without events (the engine's heartbeat) leaves nothing in the log to find it by: not journalled.
    if (options?.event === undefined && options?.events === undefined)
      return this.inner.updateWorkflowRun(id, patch, options);
    const op = this.nextOp();
    const tag = (event: WorkflowEventInput) => ({ ...event, payload: { ...event.payload, [TOKEN]: op } });
    // The token goes in one event of the update (the last of `events`), so a committed update holds it once.
    let tagged = options;
    if (options?.event !== undefined) tagged = { ...options, event: tag(options.event) };
    if (options?.events !== undefined)
      tagged = { ...options, events: [...options.events.slice(0, -1), ...options.events.slice(-1).map(tag)] };
    return this.write(
      'update',
      id,
      op,
      () => this.inner.updateWorkflowRun(id, patch, tagged),
      () => null,
    );
  }

  getWorkflowRun(id: string): Promise<WorkflowRun | null> {
    return this.read(id, () => this.inner.getWorkflowRun(id));
  }

  listWorkflowRuns(options?: ListWorkflowRunsOptions): Promise<WorkflowRun[]> {
    return this.read('*', () => this.inner.listWorkflowRuns(options));
  }

  deleteWorkflowRun(id: string): Promise<boolean> {
    return this.inner.deleteWorkflowRun(id);
  }

  listWorkflowEvents(runId: string, options?: ListWorkflowEventsOptions): Promise<WorkflowEvent[]> {
    return this.read(runId, () => this.inner.listWorkflowEvents(runId, options));
  }

  getCompletedDagNodeOutputs(runId: string): Promise<Map<string, JsonValue>> {
    return this.read(runId, () => this.inner.getCompletedDagNodeOutputs(runId));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Every event of a run, page by page. */
export async function allEvents(store: IWorkflowStore, runId: string): Promise<WorkflowEvent[]> {
  const events: WorkflowEvent[] = [];
  for (;;) {
    const page = await store.listWorkflowEvents(runId, { after_sequence: events.length, limit: 1000 });
    events.push(...page);
    if (page.length < 1000) return events;
  }
}

/** How many times each token appears in a run: its events, and its metadata for the create. */
export function tokensOf(run: WorkflowRun | null, events: readonly WorkflowEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (value: unknown) => {
    if (typeof value === 'string') counts.set(value, (counts.get(value) ?? 0) + 1);
  };
  if (run !== null) add(run.metadata[TOKEN]);
  for (const event of events) add(event.payload[TOKEN]);
  return counts;
}

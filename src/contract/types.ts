// The IWorkflowStore contract: records, inputs and the interface every backend implements.
// The specification is docs/contract.md (in the package: node_modules/wfstore/docs/contract.md); the rule
// ids in the doc comments below (WF-RUN-1, …) are its sections.

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const RUN_STATUSES = ['pending', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface WorkflowRun {
  id: string;
  workflow_name: string;
  status: RunStatus;
  user_message: string;
  metadata: JsonObject;
  created_at: string;
  updated_at: string;
}

export interface WorkflowEvent {
  run_id: string;
  sequence: number;
  event_type: string;
  timestamp: string;
  payload: JsonObject;
}

export interface CreateWorkflowRunInput {
  id?: string | undefined;
  workflow_name: string;
  user_message: string;
  status?: RunStatus | undefined;
  metadata?: JsonObject | undefined;
}

/** A place in the list of runs: the run's `created_at` and `id` (WF-RUN-7). */
export interface RunPosition {
  created_at: string;
  id: string;
}

export interface ListWorkflowRunsOptions {
  status?: RunStatus | undefined;
  workflow_name?: string | undefined;
  limit?: number | undefined;
  /** `'asc'` (the default) or `'desc'`, newest first (since 1.2, WF-RUN-7). */
  order?: 'asc' | 'desc' | undefined;
  /** Only the runs strictly after this position in the chosen order: the last run of the previous page. */
  after?: RunPosition | undefined;
  /** Only runs created strictly after this timestamp. */
  created_after?: string | undefined;
  /** Only runs created strictly before this timestamp. */
  created_before?: string | undefined;
}

export interface UpdateWorkflowRunPatch {
  status?: RunStatus | undefined;
  metadata?: JsonObject | undefined;
}

/** An event to append together with an update (WF-UPD-4). */
export interface WorkflowEventInput {
  event_type: string;
  payload?: JsonObject | undefined;
}

/** Conditions an update or an append applies under, checked atomically with the write (WF-CAS-1, WF-CAS-3). */
export interface WriteConditions {
  expected_status?: RunStatus | undefined;
  /** Each key's stored value must equal the one given (since 1.2): a claim token, a pause id. */
  expected_metadata?: JsonObject | undefined;
}

export interface UpdateWorkflowRunOptions extends WriteConditions {
  /** Appended to the run's log in the same commit as the update: both are visible, or neither. */
  event?: WorkflowEventInput | undefined;
  /** 1 to 1,000 events appended, numbered in this order, in the same commit (since 1.2, WF-UPD-5). */
  events?: WorkflowEventInput[] | undefined;
}

/** createWorkflowEvent's conditions: the event is appended only if the run matches (since 1.2, WF-SEQ-4). */
export type CreateWorkflowEventOptions = WriteConditions;

export interface CreateWorkflowEventInput {
  run_id: string;
  event_type: string;
  payload?: JsonObject | undefined;
}

export interface ListWorkflowEventsOptions {
  after_sequence?: number | undefined;
  limit?: number | undefined;
}

/**
 * The storage port of a DAG workflow engine. Every method is async and fails with a `WorkflowStoreError`
 * (recognised by `name` and `code`, WF-ERR-1). The rules: docs/contract.md.
 */
export interface IWorkflowStore {
  /** Stores a new run and returns it (WF-RUN-1, WF-RUN-2); `RUN_ALREADY_EXISTS` for a known id (WF-RUN-3). */
  createWorkflowRun(input: CreateWorkflowRunInput): Promise<WorkflowRun>;
  /** The run, or null when there is none (WF-UNK-1). */
  getWorkflowRun(id: string): Promise<WorkflowRun | null>;
  /** Runs by created_at, then id (or newest first); filters, position, then the limit (WF-RUN-4, WF-RUN-7). */
  listWorkflowRuns(options?: ListWorkflowRunsOptions): Promise<WorkflowRun[]>;
  /**
   * Status and metadata (merged shallowly, WF-UPD-1); allowed transitions only (WF-TRN-1, WF-TRN-2); with
   * `expected_status` and `expected_metadata`, an atomic compare-and-set (WF-CAS-1, WF-CAS-2, WF-CAS-3); with
   * `event` or `events`, its events in the same commit (WF-UPD-4, WF-UPD-5).
   */
  updateWorkflowRun(
    id: string,
    patch: UpdateWorkflowRunPatch,
    options?: UpdateWorkflowRunOptions,
  ): Promise<WorkflowRun>;
  /** True if the run existed; its events and outputs go with it (WF-RUN-5, WF-RUN-6). */
  deleteWorkflowRun(id: string): Promise<boolean>;
  /**
   * Appends an event numbered 1, 2, 3, … per run (WF-SEQ-1); `node_completed` records an output (WF-OUT-1);
   * with conditions, only if the run matches them (WF-SEQ-4).
   */
  createWorkflowEvent(input: CreateWorkflowEventInput, options?: CreateWorkflowEventOptions): Promise<WorkflowEvent>;
  /** Events after `after_sequence`, in sequence order, at most `limit` (WF-SEQ-2). */
  listWorkflowEvents(runId: string, options?: ListWorkflowEventsOptions): Promise<WorkflowEvent[]>;
  /** Each completed node's latest output (WF-OUT-3), in the order of latest completion (WF-OUT-4). */
  getCompletedDagNodeOutputs(runId: string): Promise<Map<string, JsonValue>>;
  /** Idempotent; waits for calls under way; later calls fail with STORE_CLOSED (WF-CLS-1, WF-CLS-2, WF-CLS-3). */
  close(): Promise<void>;
}

/** Options every reference store accepts, so tests can run all backends on one clock and one id source. */
export interface DeterminismOptions {
  /** The store's clock; defaults to `() => new Date()`. */
  now?: (() => Date) | undefined;
  /** Run ids for `createWorkflowRun` without an id; defaults to `crypto.randomUUID`. */
  generateId?: (() => string) | undefined;
}

/** The event type whose payload records a node output (`payload.node_id`, `payload.output`). */
export const NODE_COMPLETED = 'node_completed';

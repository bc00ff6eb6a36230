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

export interface ListWorkflowRunsOptions {
  status?: RunStatus | undefined;
  workflow_name?: string | undefined;
  limit?: number | undefined;
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

export interface UpdateWorkflowRunOptions {
  expected_status?: RunStatus | undefined;
  /** Appended to the run's log in the same commit as the update: both are visible, or neither. */
  event?: WorkflowEventInput | undefined;
}

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
  /** Runs by created_at, then id; filters, then the limit (WF-RUN-4). */
  listWorkflowRuns(options?: ListWorkflowRunsOptions): Promise<WorkflowRun[]>;
  /**
   * Status and metadata (merged shallowly, WF-UPD-1); allowed transitions only (WF-TRN-1, WF-TRN-2); with
   * `expected_status`, an atomic compare-and-set (WF-CAS-1, WF-CAS-2).
   */
  updateWorkflowRun(
    id: string,
    patch: UpdateWorkflowRunPatch,
    options?: UpdateWorkflowRunOptions,
  ): Promise<WorkflowRun>;
  /** True if the run existed; its events and outputs go with it (WF-RUN-5, WF-RUN-6). */
  deleteWorkflowRun(id: string): Promise<boolean>;
  /** Appends an event numbered 1, 2, 3, … per run (WF-SEQ-1); `node_completed` records an output (WF-OUT-1). */
  createWorkflowEvent(input: CreateWorkflowEventInput): Promise<WorkflowEvent>;
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

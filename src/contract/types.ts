// The IWorkflowStore contract: records, inputs and the interface every backend implements.
// See ../shared/contract.md; README "The contract" restates it for users.

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

export interface UpdateWorkflowRunOptions {
  expected_status?: RunStatus | undefined;
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

/** The storage port of a DAG workflow engine. Every method is async; see the contract for errors. */
export interface IWorkflowStore {
  createWorkflowRun(input: CreateWorkflowRunInput): Promise<WorkflowRun>;
  getWorkflowRun(id: string): Promise<WorkflowRun | null>;
  listWorkflowRuns(options?: ListWorkflowRunsOptions): Promise<WorkflowRun[]>;
  updateWorkflowRun(
    id: string,
    patch: UpdateWorkflowRunPatch,
    options?: UpdateWorkflowRunOptions,
  ): Promise<WorkflowRun>;
  deleteWorkflowRun(id: string): Promise<boolean>;
  createWorkflowEvent(input: CreateWorkflowEventInput): Promise<WorkflowEvent>;
  listWorkflowEvents(runId: string, options?: ListWorkflowEventsOptions): Promise<WorkflowEvent[]>;
  getCompletedDagNodeOutputs(runId: string): Promise<Map<string, JsonValue>>;
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

// One place for what every backend must do the same way: validate input before any write, read the
// clock and the id source, refuse calls after close(), and wrap driver faults. A backend supplies only a
// StorageDriver, which receives requests that are already valid.

import { WorkflowStoreError, storeClosed } from '../contract/errors.js';
import type {
  JsonObject,
  CreateWorkflowEventInput,
  CreateWorkflowEventOptions,
  CreateWorkflowRunInput,
  DeterminismOptions,
  IWorkflowStore,
  JsonValue,
  ListWorkflowEventsOptions,
  ListWorkflowRunsOptions,
  UpdateWorkflowRunOptions,
  UpdateWorkflowRunPatch,
  WorkflowEvent,
  WorkflowRun,
} from '../contract/types.js';
import {
  describe,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseListRuns,
  parseUpdateRun,
  validateId,
  type AppendEventRequest,
  type CreateEventRequest,
  type ListEventsRequest,
  type ListRunsRequest,
  type UpdateRunRequest,
  type ImportRunRequest,
  type ImportedEvent,
  parseImportRun,
} from '../contract/validation.js';
import { randomUUID } from 'node:crypto';
import { readDeterminismOptions } from './factory-options.js';

export interface NewRunRecord {
  id: string;
  workflow_name: string;
  user_message: string;
  status: WorkflowRun['status'];
  metadataJson: string;
  /** Also the initial `updated_at`. */
  created_at: string;
}

/**
 * What a backend implements. Every request is valid; every object returned must be fresh (not shared
 * with the backend's state). Unknown runs are reported with the contract's errors (`runNotFound`).
 */
export interface StorageDriver {
  /** Shown in error messages: "filesystem", "sqlite", ... */
  readonly name: string;
  insertRun(run: NewRunRecord): Promise<WorkflowRun>;
  getRun(id: string): Promise<WorkflowRun | null>;
  listRuns(request: ListRunsRequest): Promise<WorkflowRun[]>;
  /** Existence, the conditions and the transition are checked atomically with the write, then its events. */
  updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun>;
  deleteRun(id: string): Promise<boolean>;
  /** The conditions (expected_status, expected_metadata) are checked atomically with the write (WF-SEQ-4). */
  appendEvent(request: AppendEventRequest, timestamp: string): Promise<WorkflowEvent>;
  listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]>;
  completedOutputs(runId: string): Promise<Map<string, JsonValue>>;
  close(): Promise<void>;
  /**
   * Stores a whole run as it was in another store — its timestamps, its log, the outputs its
   * node_completed events give — in one commit: all of it, or nothing. RUN_ALREADY_EXISTS if the id is
   * taken, unless `replace` (then the old run goes in the same commit). Below the public API: wfstore copy
   * and import use it through importRun().
   */
  importRun?(request: ImportRunRequest, options: { replace: boolean }): Promise<void>;
}

const IMPORT = Symbol.for('wfstore.import-run');

/**
 * Stores a whole run, timestamps and log as given (wfstore copy and import). Only stores made by
 * defineStore on a driver that can import have this path; the record is validated first.
 */
export async function importRun(store: IWorkflowStore, record: unknown, options: { replace: boolean }): Promise<void> {
  const path = (store as unknown as Record<symbol, ImportPath | undefined>)[IMPORT];
  if (path === undefined) throw new Error('this store cannot import runs (it is not a wfstore reference store)');
  await path(record, options);
}

type ImportPath = (record: unknown, options: { replace: boolean }) => Promise<void>;

/**
 * The outputs an imported log leaves: each node's latest node_completed (its output text and sequence), in
 * the order of latest completion.
 */
export function latestCompletions(
  events: readonly ImportedEvent[],
): Map<string, { outputJson: string; sequence: number }> {
  const latest = new Map<string, { outputJson: string; sequence: number }>();
  for (const { node, sequence } of events) {
    if (node === undefined) continue;
    latest.delete(node.node_id);
    latest.set(node.node_id, { outputJson: node.outputJson, sequence });
  }
  return latest;
}

/** The run a NewRunRecord describes, as createWorkflowRun returns it (a fresh object). */
export function runFromRecord(record: NewRunRecord): WorkflowRun {
  return {
    id: record.id,
    workflow_name: record.workflow_name,
    status: record.status,
    user_message: record.user_message,
    metadata: JSON.parse(record.metadataJson) as JsonObject,
    created_at: record.created_at,
    updated_at: record.created_at,
  };
}

/** The event an append stored, as createWorkflowEvent returns it (a fresh object). */
export function eventFromRequest(request: CreateEventRequest, sequence: number, timestamp: string): WorkflowEvent {
  return {
    run_id: request.run_id,
    sequence,
    event_type: request.event_type,
    timestamp,
    payload: JSON.parse(request.payloadJson) as JsonObject,
  };
}

/** The contract's error with the operation named first in its message (WF-ERR-3). */
function namingOperation(error: WorkflowStoreError, operation: string): WorkflowStoreError {
  if (error.message.startsWith(`${operation}:`)) return error;
  const named = new WorkflowStoreError(error.code, `${operation}: ${error.message}`, {
    runId: error.runId,
    field: error.field,
    from: error.from,
    to: error.to,
    expected: error.expected,
    actual: error.actual,
    cause: error.cause,
  });
  named.stack = error.stack;
  return named;
}

/** A call whose input is valid: the run it concerns (named if the backend fails) and what it does. */
interface ValidCall<T> {
  runId: string | undefined;
  run: () => Promise<T>;
}

/**
 * A fault of the store's configuration (its clock or id source), not of the caller's input: the call is
 * refused with BACKEND_FAILURE, naming the option.
 */
function misconfigured(option: string, problem: string, cause?: unknown): WorkflowStoreError {
  return new WorkflowStoreError('BACKEND_FAILURE', `${option} ${problem}; the store is misconfigured`, { cause });
}

/** Calls `option` (now or generateId), reporting a throw as the option's fault. */
function callOption<T>(name: string, option: () => T): T {
  try {
    return option();
  } catch (error) {
    throw misconfigured(name, `threw: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/** The store's clock, read at call time: a valid Date of years 1 to 9999, as an ISO string. */
function readClock(now: () => Date): string {
  const date: unknown = callOption('options.now', now);
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw misconfigured('options.now', `returned ${describe(date)}, not a valid Date`);
  }
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw misconfigured('options.now', `returned year ${year}; timestamps are stored for years 1 to 9999`);
  }
  return date.toISOString();
}

/** An id from the store's id source, which must be an identifier (WF-VAL-6). */
function readGeneratedId(generateId: () => string): string {
  const id: unknown = callOption('options.generateId', generateId);
  try {
    return validateId(id, 'generated id');
  } catch (error) {
    throw misconfigured('options.generateId', `returned an invalid run id (${(error as Error).message})`);
  }
}

/** What a driver's failure becomes: BACKEND_FAILURE naming the operation and run, the fault as cause. */
function backendFailure(error: unknown, operation: string, runId: string | undefined, backend: string) {
  const where = runId === undefined ? '' : ` on workflow run "${runId}"`;
  const reason = error instanceof Error ? error.message : String(error);
  return new WorkflowStoreError('BACKEND_FAILURE', `${operation}${where} failed in the ${backend} backend: ${reason}`, {
    runId,
    cause: error,
  });
}

/**
 * The calls under way, and close(): a call made after close() fails with STORE_CLOSED; close() waits for
 * the calls under way, then closes the driver once.
 */
class Calls {
  private closing: Promise<void> | undefined;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly driver: StorageDriver) {}

  // Refuse when closed, validate synchronously, then call the driver; any error that is not the
  // contract's own becomes BACKEND_FAILURE with the driver's error as cause. The run named in that message
  // comes from the validated call: reading it off the caller's input would run its getters.
  async run<T>(name: string, validate: () => ValidCall<T>): Promise<T> {
    if (this.closing !== undefined) throw storeClosed(name);
    this.inFlight++;
    let runId: string | undefined;
    try {
      const call = validate();
      runId = call.runId;
      return await call.run();
    } catch (error) {
      if (error instanceof WorkflowStoreError) throw namingOperation(error, name);
      throw backendFailure(error, name, runId, this.driver.name);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
      await this.driver.close();
    })();
    return this.closing;
  }
}

/** A call on one run, its id already valid. */
const onRun = <T>(runId: string, run: () => Promise<T>): ValidCall<T> => ({ runId, run });
const onRunId = <T>(id: unknown, field: string, run: (runId: string) => Promise<T>): ValidCall<T> => {
  const runId = validateId(id, field);
  return onRun(runId, () => run(runId));
};

/**
 * The store over `driver`. `options.now` and `options.generateId`, when given, must be functions (else a
 * StoreOpenError here); what they return is checked at each call (else that call is a BACKEND_FAILURE).
 */
export function defineStore(driver: StorageDriver, options: DeterminismOptions = {}): IWorkflowStore {
  const configured = readDeterminismOptions('defineStore', options);
  const now = configured.now ?? (() => new Date());
  const generateId = configured.generateId ?? randomUUID;
  const timestamp = (): string => readClock(now);
  const calls = new Calls(driver);
  return {
    createWorkflowRun: (input: CreateWorkflowRunInput) =>
      calls.run('createWorkflowRun', () => {
        const { id: given, ...fields } = parseCreateRun(input);
        const id = given ?? readGeneratedId(generateId);
        return onRun(id, () => driver.insertRun({ ...fields, id, created_at: timestamp() }));
      }),
    getWorkflowRun: (id: string) => calls.run('getWorkflowRun', () => onRunId(id, 'id', (r) => driver.getRun(r))),
    listWorkflowRuns: (options?: ListWorkflowRunsOptions) =>
      calls.run('listWorkflowRuns', () => {
        const request = parseListRuns(options);
        return { runId: undefined, run: () => driver.listRuns(request) };
      }),
    updateWorkflowRun: (id: string, patch: UpdateWorkflowRunPatch, options?: UpdateWorkflowRunOptions) =>
      calls.run('updateWorkflowRun', () => {
        const request = parseUpdateRun(id, patch, options);
        return onRun(request.id, () => driver.updateRun(request, timestamp()));
      }),
    deleteWorkflowRun: (id: string) =>
      calls.run('deleteWorkflowRun', () => onRunId(id, 'id', (r) => driver.deleteRun(r))),
    createWorkflowEvent: (input: CreateWorkflowEventInput, options?: CreateWorkflowEventOptions) =>
      calls.run('createWorkflowEvent', () => {
        const request = parseCreateEvent(input, options);
        return onRun(request.run_id, () => driver.appendEvent(request, timestamp()));
      }),
    listWorkflowEvents: (runId: string, options?: ListWorkflowEventsOptions) =>
      calls.run('listWorkflowEvents', () => {
        const request = parseListEvents(runId, options);
        return onRun(request.run_id, () => driver.listEvents(request));
      }),
    getCompletedDagNodeOutputs: (runId: string) =>
      calls.run('getCompletedDagNodeOutputs', () => onRunId(runId, 'run_id', (r) => driver.completedOutputs(r))),
    close: () => calls.close(),
    // Not an operation of the interface: reachable through importRun() only.
    ...(driver.importRun
      ? {
          [IMPORT]: (record: unknown, options: { replace: boolean }) =>
            calls.run('importRun', () => {
              const request = parseImportRun(record);
              return onRun(request.run.id, () => driver.importRun!(request, options));
            }),
        }
      : {}),
  };
}

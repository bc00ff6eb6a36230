import type { RunStatus } from './types.js';

/**
 * The contract's six outcome codes, plus BACKEND_FAILURE for faults below the contract (disk, network,
 * a server that went away). The contract does not name that seventh case; it carries the driver's
 * error as `cause` so nothing is lost.
 */
export const ERROR_CODES = [
  'RUN_NOT_FOUND',
  'RUN_ALREADY_EXISTS',
  'INVALID_TRANSITION',
  'STATUS_CONFLICT',
  'INVALID_INPUT',
  'STORE_CLOSED',
  'BACKEND_FAILURE',
] as const;
export type WorkflowStoreErrorCode = (typeof ERROR_CODES)[number];

export interface WorkflowStoreErrorDetails {
  runId?: string | undefined;
  /** The input field at fault, as a path: `payload.steps[2].when`. */
  field?: string | undefined;
  from?: RunStatus | undefined;
  to?: RunStatus | undefined;
  expected?: RunStatus | undefined;
  actual?: RunStatus | undefined;
  cause?: unknown;
}

export class WorkflowStoreError extends Error {
  readonly code: WorkflowStoreErrorCode;
  readonly runId: string | undefined;
  readonly field: string | undefined;
  readonly from: RunStatus | undefined;
  readonly to: RunStatus | undefined;
  readonly expected: RunStatus | undefined;
  readonly actual: RunStatus | undefined;

  constructor(code: WorkflowStoreErrorCode, message: string, details: WorkflowStoreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WorkflowStoreError';
    this.code = code;
    this.runId = details.runId;
    this.field = details.field;
    this.from = details.from;
    this.to = details.to;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

export function isWorkflowStoreError(value: unknown, code?: WorkflowStoreErrorCode): value is WorkflowStoreError {
  return value instanceof WorkflowStoreError && (code === undefined || value.code === code);
}

export function invalidInput(field: string, problem: string, runId?: string): WorkflowStoreError {
  return new WorkflowStoreError('INVALID_INPUT', `${field}: ${problem}`, { field, runId });
}

export function runNotFound(runId: string): WorkflowStoreError {
  return new WorkflowStoreError('RUN_NOT_FOUND', `workflow run "${runId}" does not exist`, { runId });
}

export function runAlreadyExists(runId: string): WorkflowStoreError {
  return new WorkflowStoreError('RUN_ALREADY_EXISTS', `workflow run "${runId}" already exists`, { runId });
}

export function storeClosed(operation: string): WorkflowStoreError {
  return new WorkflowStoreError('STORE_CLOSED', `${operation}: the store is closed`);
}

/** Errors raised when a store is opened (not by an operation): a database from a newer wfstore, bad options. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

import type { RunStatus } from './types.js';

/**
 * The contract's outcome codes (docs/contract.md, WF-ERR-1): BACKEND_FAILURE is a fault below the contract
 * (disk, network, a server that went away), with the driver's error as `cause`; STORE_CORRUPTED is stored
 * data that fails its checks (a damaged or truncated log), naming the run and the place (WF-DUR-2).
 */
export const ERROR_CODES = [
  'RUN_NOT_FOUND',
  'RUN_ALREADY_EXISTS',
  'INVALID_TRANSITION',
  'STATUS_CONFLICT',
  'INVALID_INPUT',
  'STORE_CLOSED',
  'BACKEND_FAILURE',
  'STORE_CORRUPTED',
] as const;
export type WorkflowStoreErrorCode = (typeof ERROR_CODES)[number];

export interface WorkflowStoreErrorDetails {
  runId?: string | undefined;
  /**
   * The input field at fault, as a path (`payload.steps[2].when`); for STATUS_CONFLICT, what differed:
   * `status` or `metadata.<key>` (WF-CAS-3).
   */
  field?: string | undefined;
  from?: RunStatus | undefined;
  to?: RunStatus | undefined;
  expected?: RunStatus | undefined;
  actual?: RunStatus | undefined;
  cause?: unknown;
}

/** The brand every wfstore error carries, whichever copy of the package made it. */
export const WORKFLOW_STORE_ERROR_BRAND: unique symbol = Symbol.for('wfstore.error') as never;

/**
 * The contract's error (WF-ERR-1). Recognised by `name === 'WorkflowStoreError'` and a `code` from
 * ERROR_CODES, not by class identity: `instanceof` is true for any error that carries the brand, so two
 * copies of wfstore (a store's own dependency and the CLI's) understand each other's errors.
 * See docs/contract.md#errors.
 */
export class WorkflowStoreError extends Error {
  readonly code: WorkflowStoreErrorCode;
  readonly runId: string | undefined;
  readonly field: string | undefined;
  readonly from: RunStatus | undefined;
  readonly to: RunStatus | undefined;
  readonly expected: RunStatus | undefined;
  readonly actual: RunStatus | undefined;
  readonly [WORKFLOW_STORE_ERROR_BRAND] = true;

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

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[WORKFLOW_STORE_ERROR_BRAND] === true
    );
  }
}

export function isErrorCode(value: unknown): value is WorkflowStoreErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * True for any error the contract recognises (WF-ERR-1): `name` is "WorkflowStoreError" and `code` is one
 * of ERROR_CODES; whichever class or package copy made it. With `code`, also that the code is this one.
 */
export function isWorkflowStoreError(value: unknown, code?: WorkflowStoreErrorCode): value is WorkflowStoreError {
  if (typeof value !== 'object' || value === null) return false;
  const { name, code: actual } = value as { name?: unknown; code?: unknown };
  return name === 'WorkflowStoreError' && isErrorCode(actual) && (code === undefined || actual === code);
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

/** Stored data of a run that fails its checks: named with the place (file and line, table and sequence). */
export function storeCorrupted(runId: string, where: string, problem: string, cause?: unknown): WorkflowStoreError {
  return new WorkflowStoreError(
    'STORE_CORRUPTED',
    `workflow run "${runId}" is damaged: ${where}: ${problem}; its data was left as it is (see \`wfstore verify\`)`,
    { runId, cause },
  );
}

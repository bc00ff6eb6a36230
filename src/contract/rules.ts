// The update rule as a pure function, for backends that read, decide and write under their own lock.
// PostgreSQL decides in SQL for status-only patches and uses this for the rest and for diagnosis.

import { WorkflowStoreError, invalidInput } from './errors.js';
import { JSON_MAX_BYTES } from './limits.js';
import { canTransition, invalidTransition } from './transitions.js';
import type { JsonObject, RunStatus, WorkflowRun } from './types.js';
import type { UpdateRunRequest } from './validation.js';

export interface UpdatedRun {
  run: WorkflowRun;
  metadataJson: string;
}

/** Checks run in the contract's order: expected_status, then the transition. Existence is the caller's. */
export function checkUpdate(current: { id: string; status: RunStatus }, request: UpdateRunRequest): void {
  if (request.expected_status !== undefined && current.status !== request.expected_status) {
    throw statusConflict(current.id, request.expected_status, current.status);
  }
  if (request.status !== undefined && !canTransition(current.status, request.status)) {
    throw invalidTransition(current.id, current.status, request.status);
  }
}

export function applyUpdate(current: WorkflowRun, request: UpdateRunRequest, now: string): UpdatedRun {
  checkUpdate(current, request);
  // Spread, not Object.assign: a "__proto__" key must stay a plain own key.
  const metadata: JsonObject =
    request.metadata === undefined ? current.metadata : { ...current.metadata, ...request.metadata };
  const metadataJson = JSON.stringify(metadata);
  if (request.metadata !== undefined && Buffer.byteLength(metadataJson, 'utf8') > JSON_MAX_BYTES) {
    throw invalidInput(
      'patch.metadata',
      `the merged metadata would exceed ${JSON_MAX_BYTES} bytes as JSON`,
      current.id,
    );
  }
  return {
    run: {
      ...current,
      status: request.status ?? current.status,
      metadata: JSON.parse(metadataJson) as JsonObject,
      updated_at: laterOf(now, current.updated_at),
    },
    metadataJson,
  };
}

/** ISO-8601 UTC strings of one format compare correctly as text. */
export function laterOf(a: string, b: string): string {
  return a >= b ? a : b;
}

export function statusConflict(runId: string, expected: RunStatus, actual: RunStatus): WorkflowStoreError {
  return new WorkflowStoreError(
    'STATUS_CONFLICT',
    `workflow run "${runId}": expected status "${expected}" but it is "${actual}"`,
    { runId, expected, actual },
  );
}

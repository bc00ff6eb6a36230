// The update rule and the listing rule as pure functions, for backends that read, decide and write under
// their own lock. PostgreSQL decides in SQL for status-only patches and uses applyUpdate for the rest and
// for diagnosis; the SQL backends list with ORDER BY and LIMIT, the others with selectRuns.

import { WorkflowStoreError, invalidInput } from './errors.js';
import { JSON_MAX_BYTES } from './limits.js';
import { canTransition, invalidTransition } from './transitions.js';
import type { JsonObject, RunStatus, WorkflowRun } from './types.js';
import type { ListRunsRequest, UpdateRunRequest } from './validation.js';

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

/**
 * listWorkflowRuns over runs already read: those that match the filters, ordered by created_at, then id,
 * then at most `limit` of them (the limit applies after ordering).
 */
export function selectRuns(runs: Iterable<WorkflowRun>, request: ListRunsRequest): WorkflowRun[] {
  const selected = [...runs].filter(
    (run) =>
      (request.status === undefined || run.status === request.status) &&
      (request.workflow_name === undefined || run.workflow_name === request.workflow_name),
  );
  selected.sort((a, b) => compareCodeUnits(a.created_at, b.created_at) || compareCodeUnits(a.id, b.id));
  return request.limit === undefined ? selected : selected.slice(0, request.limit);
}

/** Code-unit order, as SQL "C"/BINARY collation gives for the ASCII of ids and ISO timestamps. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

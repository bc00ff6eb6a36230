// The update rule and the listing rule as pure functions, for backends that read, decide and write under
// their own lock. PostgreSQL decides in SQL for status-only patches and uses applyUpdate for the rest and
// for diagnosis; the SQL backends list with ORDER BY and LIMIT, the others with selectRuns.

import { WorkflowStoreError, invalidInput } from './errors.js';
import { JSON_MAX_BYTES } from './limits.js';
import { canTransition, invalidTransition } from './transitions.js';
import type { JsonObject, JsonValue, RunStatus, WorkflowRun } from './types.js';
import type { ListRunsRequest, UpdateRunRequest, WriteConditionsRequest } from './validation.js';

export interface UpdatedRun {
  run: WorkflowRun;
  metadataJson: string;
}

/**
 * Checks run in the contract's order: expected_status, expected_metadata, then the transition (WF-CAS-2,
 * WF-CAS-3). Existence is the caller's.
 */
export function checkUpdate(current: WorkflowRun, request: UpdateRunRequest): void {
  checkConditions(current, request);
  if (request.status !== undefined && !canTransition(current.status, request.status)) {
    throw invalidTransition(current.id, current.status, request.status);
  }
}

/** The conditions of an update or a fenced append, against the stored run (WF-CAS-1, WF-CAS-3, WF-SEQ-4). */
export function checkConditions(
  current: Pick<WorkflowRun, 'id' | 'status' | 'metadata'>,
  conditions: WriteConditionsRequest,
): void {
  if (conditions.expected_status !== undefined && current.status !== conditions.expected_status) {
    throw statusConflict(current.id, conditions.expected_status, current.status);
  }
  const key = differingKey(current.metadata, conditions.expected_metadata);
  if (key !== undefined) throw metadataConflict(current.id, key);
}

/** The first key of `expected`, in its order, whose stored value is absent or not equal; undefined if none. */
export function differingKey(stored: JsonObject, expected: JsonObject | undefined): string | undefined {
  if (expected === undefined) return undefined;
  for (const key of Object.keys(expected)) {
    if (!Object.hasOwn(stored, key) || !jsonEqual(stored[key]!, expected[key]!)) return key;
  }
  return undefined;
}

/** JSON equality (WF-CAS-3): same primitive, arrays equal in order, objects with the same keys in any order. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]!));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!))
  );
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
 * listWorkflowRuns over runs already read (WF-RUN-4, WF-RUN-7): those that match the filters, ordered by
 * created_at, then id (both descending for 'desc'), strictly after `after`, then at most `limit` of them.
 */
export function selectRuns(runs: Iterable<WorkflowRun>, request: ListRunsRequest): WorkflowRun[] {
  const sign = request.order === 'desc' ? -1 : 1;
  const compare = (a: RunPositionLike, b: RunPositionLike) =>
    sign * (compareCodeUnits(a.created_at, b.created_at) || compareCodeUnits(a.id, b.id));
  const { after, created_after, created_before } = request;
  const selected = [...runs].filter(
    (run) =>
      (request.status === undefined || run.status === request.status) &&
      (request.workflow_name === undefined || run.workflow_name === request.workflow_name) &&
      (created_after === undefined || run.created_at > created_after) &&
      (created_before === undefined || run.created_at < created_before) &&
      (after === undefined || compare(run, after) > 0),
  );
  selected.sort(compare);
  return request.limit === undefined ? selected : selected.slice(0, request.limit);
}

interface RunPositionLike {
  created_at: string;
  id: string;
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
    { runId, expected, actual, field: 'status' },
  );
}

/** An expected metadata value that the stored metadata lacks or holds differently (WF-CAS-3). */
export function metadataConflict(runId: string, key: string): WorkflowStoreError {
  return new WorkflowStoreError(
    'STATUS_CONFLICT',
    `workflow run "${runId}": metadata.${key} is not the expected value`,
    { runId, field: `metadata.${key}` },
  );
}

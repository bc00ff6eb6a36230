import { WorkflowStoreError } from './errors.js';
import type { RunStatus } from './types.js';

/** Which status may follow which. `completed` and `cancelled` are final. */
export const TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  pending: ['running', 'failed', 'cancelled'],
  running: ['paused', 'completed', 'failed', 'cancelled'],
  paused: ['running', 'failed', 'cancelled'],
  failed: ['running'],
  completed: [],
  cancelled: [],
};

/** A patch that keeps the status is always allowed (a metadata-only update). */
export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** The statuses a run may be in for an update to `to` to be allowed. */
export function allowedSources(to: RunStatus): RunStatus[] {
  return (Object.keys(TRANSITIONS) as RunStatus[]).filter((from) => canTransition(from, to));
}

export function isFinal(status: RunStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export function invalidTransition(runId: string, from: RunStatus, to: RunStatus): WorkflowStoreError {
  const allowed = TRANSITIONS[from];
  const hint =
    allowed.length === 0 ? `"${from}" is final` : `"${from}" may become ${allowed.map((s) => `"${s}"`).join(', ')}`;
  return new WorkflowStoreError(
    'INVALID_TRANSITION',
    `workflow run "${runId}": cannot move from "${from}" to "${to}" (${hint})`,
    { runId, from, to },
  );
}

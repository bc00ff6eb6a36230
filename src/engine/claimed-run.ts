// The writes of one worker to the run it claimed, fenced by its claim from contract 1.2: each append and
// the final update apply only while the run is still "running" with this worker's token in its metadata, so
// a worker that lost its run (cancelled, or resumed elsewhere under a new token) writes nothing more to it.

import { isWorkflowStoreError } from '../contract/errors.js';
import type {
  IWorkflowStore,
  RunStatus,
  UpdateWorkflowRunPatch,
  WorkflowEventInput,
  WriteConditions,
} from '../contract/types.js';
import { atLeast, type ContractVersion } from '../contract/versions.js';

/** The metadata key in which the engine keeps the token of a run's current claim (contract 1.2). */
export const CLAIM_KEY = 'claim';

/**
 * A write of a worker refused because the run is no longer its own: cancelled or failed by someone else
 * (`status` says which), or claimed again by another worker (`field` is `metadata.claim`). Nothing more
 * was written to the run by this worker.
 */
export class RunLostError extends Error {
  constructor(
    readonly runId: string,
    /** What differed, as the store's STATUS_CONFLICT said: `status`, or `metadata.claim`. */
    readonly field: string | undefined,
    /** The run's status when the write was refused, when the store said it. */
    readonly status: RunStatus | undefined,
    options?: { cause?: unknown },
  ) {
    super(`workflow run "${runId}" is no longer this worker's: ${lostReason(field, status)}; it wrote nothing more`, {
      cause: options?.cause,
    });
    this.name = 'RunLostError';
  }
}

function lostReason(field: string | undefined, status: RunStatus | undefined): string {
  if (field === `metadata.${CLAIM_KEY}`) return `another worker claimed it (its metadata.${CLAIM_KEY} changed)`;
  if (status !== undefined) return `its status is now "${status}"`;
  return `a write was refused with STATUS_CONFLICT${field === undefined ? '' : ` on ${field}`}`;
}

/**
 * A STATUS_CONFLICT of a fenced write as RunLostError, with the run's status (read when the store's error
 * does not carry it); any other error as it is.
 */
async function asLost(store: IWorkflowStore, runId: string, error: unknown): Promise<unknown> {
  if (!isWorkflowStoreError(error, 'STATUS_CONFLICT')) return error;
  // expected_status is checked before expected_metadata: a metadata conflict means the run was running.
  let status = error.field === undefined || error.field === 'status' ? error.actual : 'running';
  status ??= await store.getWorkflowRun(runId).then(
    (run) => run?.status,
    () => undefined,
  );
  return new RunLostError(runId, error.field, status, { cause: error });
}

/**
 * An update with its events, as the contract version allows: from 1.2 all in one commit (WF-UPD-5), under
 * 1.1 with one event (WF-UPD-4; earlier ones appended before it), under 1.0 the update, then its events.
 */
export async function updateWithEvents(
  store: IWorkflowStore,
  contract: ContractVersion,
  runId: string,
  change: { patch: UpdateWorkflowRunPatch; events: WorkflowEventInput[]; conditions: WriteConditions },
): Promise<void> {
  const { patch, events, conditions } = change;
  if (atLeast(contract, '1.2')) {
    await store.updateWorkflowRun(runId, patch, { ...conditions, events });
    return;
  }
  const expected = conditions.expected_status === undefined ? {} : { expected_status: conditions.expected_status };
  if (atLeast(contract, '1.1')) {
    const last = events.at(-1);
    for (const event of events.slice(0, -1)) await store.createWorkflowEvent({ run_id: runId, ...event });
    await store.updateWorkflowRun(runId, patch, last === undefined ? expected : { ...expected, event: last });
    return;
  }
  await store.updateWorkflowRun(runId, patch, expected);
  for (const event of events) await store.createWorkflowEvent({ run_id: runId, ...event });
}

/** A run this worker claimed: its appends and its final update, fenced by the claim from contract 1.2. */
export class ClaimedRun {
  constructor(
    private readonly store: IWorkflowStore,
    private readonly contract: ContractVersion,
    readonly runId: string,
    /** The token written with the claim; undefined before contract 1.2 (writes fenced by status only). */
    readonly token: string | undefined,
  ) {}

  /** True when several events can be committed with the final status (WF-UPD-5, contract 1.2). */
  get batches(): boolean {
    return atLeast(this.contract, '1.2');
  }

  /** Still running, and from 1.2 still under this worker's token. */
  private get conditions(): WriteConditions {
    if (this.token === undefined) return { expected_status: 'running' };
    return { expected_status: 'running', expected_metadata: { [CLAIM_KEY]: this.token } };
  }

  /** Appends an event, from 1.2 only if the run is still this worker's (WF-SEQ-4); RunLostError otherwise. */
  async append(event: WorkflowEventInput): Promise<void> {
    const input = { run_id: this.runId, ...event };
    try {
      if (atLeast(this.contract, '1.2')) await this.store.createWorkflowEvent(input, this.conditions);
      else await this.store.createWorkflowEvent(input);
    } catch (error) {
      throw await asLost(this.store, this.runId, error);
    }
  }

  /**
   * A metadata-only update under the same conditions as the other writes (an empty patch, WF-UPD-3): it moves
   * the run's `updated_at` (WF-UPD-2) and nothing else, so a run running but idle can be told from a live
   * one; RunLostError when refused.
   */
  async heartbeat(): Promise<void> {
    try {
      await this.store.updateWorkflowRun(this.runId, {}, this.conditions);
    } catch (error) {
      throw await asLost(this.store, this.runId, error);
    }
  }

  /** The final status with its events, only if the run is still this worker's; RunLostError otherwise. */
  async finish(status: 'completed' | 'failed', events: WorkflowEventInput[]): Promise<void> {
    try {
      await updateWithEvents(this.store, this.contract, this.runId, {
        patch: { status },
        events,
        conditions: this.conditions,
      });
    } catch (error) {
      throw await asLost(this.store, this.runId, error);
    }
  }
}

/**
 * A claimed run's heartbeats, every `ms` while it executes: one at a time (the next is timed from the end of the
 * last). The first refused is the run lost (`onLost`), and the last: no heartbeat follows it. A heartbeat that
 * fails otherwise (a network fault) is not the run's failure: the next one tries again, and the run's own writes
 * report a fault that lasts. The timer never keeps the process alive.
 */
export class Heartbeats {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly run: ClaimedRun,
    private readonly ms: number,
    private readonly onLost: (error: RunLostError) => void,
  ) {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.beating = this.run.heartbeat().then(
        () => this.schedule(),
        (error: unknown) => {
          if (!(error instanceof RunLostError)) return this.schedule();
          this.stopped = true;
          this.onLost(error);
        },
      );
    }, this.ms);
    this.timer.unref?.();
  }

  /** No heartbeat after this resolves: the timer is cleared and the one under way, if any, has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.beating;
  }
}

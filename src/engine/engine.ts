// A small DAG engine over IWorkflowStore, and nothing else: it knows no backend.

import { isWorkflowStoreError } from '../contract/errors.js';
import type { IWorkflowStore, JsonObject, JsonValue, RunStatus, WorkflowEventInput } from '../contract/types.js';
import { atLeast, type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';
import { CLAIM_KEY, ClaimedRun, Heartbeats, RunLostError, updateWithEvents } from './claimed-run.js';
import { checkWorkflow, type NodeDefinition, type WorkflowDefinition } from './definition.js';

export { CLAIM_KEY, RunLostError } from './claimed-run.js';

export interface EngineOptions {
  /** How many ready nodes run at once. Default 4. */
  concurrency?: number;
  /**
   * The contract version the store implements; the engine uses only what it offers. From 1.2 a claim
   * writes a token in `metadata.claim` and every later write is fenced by it (WF-CAS-3, WF-SEQ-4), and
   * the final status goes with all its events (WF-UPD-5); from 1.1 a status and its event are committed
   * together (WF-UPD-4); under 1.0 the status is written, then its event. Default: the latest.
   */
  contract?: ContractVersion;
  /**
   * How often, in milliseconds, a worker writes a heartbeat while its run executes: a metadata-only update
   * fenced like its other writes (`expected_status: 'running'`, from 1.2 also its claim token), which moves the
   * run's `updated_at` and nothing else. A run running with an `updated_at` older than a few heartbeats, and no
   * recent event, has no live worker. A refused heartbeat is the run lost (RunLostError). 0 writes none.
   * Default 30,000 (30 s).
   */
  heartbeatMs?: number;
}

/** The default of `heartbeatMs`: 30 s. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export interface RunOutcome {
  runId: string;
  status: Extract<RunStatus, 'completed' | 'failed'>;
  /** Every completed node's output, including those completed before a resume. */
  outputs: Map<string, JsonValue>;
  /** Nodes this call ran (not those skipped because they had completed before). */
  ran: string[];
  /** The failing node and its error, when status is "failed". */
  failure?: { nodeId: string; message: string };
}

export interface StartOptions {
  runId?: string;
  userMessage?: string;
  metadata?: JsonObject;
}

export interface ResumeOptions {
  /**
   * Also take over a run left "running" by a process that died. Only say so when you know it died:
   * the run is first marked failed (compare-and-set from "running"), then claimed like a failed one.
   * From contract 1.2 the first step also expects the claim token read when `resume` is called, so of
   * several takers that read the same run exactly one wins, even one whose first step comes after another's
   * takeover is complete; and a worker that was in fact alive is refused its next write (RunLostError). A
   * resume called after another's takeover reads the new token and takes the run from that worker. Under 1.1
   * and 1.0 nothing can be fenced by the token: a taker whose first step comes after another's takeover takes
   * the run again.
   */
  takeOverRunning?: boolean;
}

/**
 * The run was not in the status a claim needs: another caller claimed it first, or it cannot be resumed; or,
 * taking over a run left running, the run changed since it was read (`field` says what).
 */
export class RunClaimConflictError extends Error {
  constructor(
    readonly runId: string,
    /** The status the run had when the claim was refused. */
    readonly status: RunStatus | undefined,
    /** Taking over a run left running: what differed from the run read, `status` or `metadata.claim`. */
    readonly field?: string | undefined,
  ) {
    super(`workflow run "${runId}" could not be ${claimConflictReason(status, field)}`);
    this.name = 'RunClaimConflictError';
  }
}

function claimConflictReason(status: RunStatus | undefined, field: string | undefined): string {
  if (field === `metadata.${CLAIM_KEY}`)
    return `taken over: another caller took it over first (its metadata.${CLAIM_KEY} changed since it was read)`;
  if (field !== undefined)
    return (
      `taken over: its status is now "${status ?? 'unknown'}", no longer "running" as read ` +
      '(another caller is taking it over, or it ended)'
    );
  return (
    `claimed: its status is "${status ?? 'unknown'}" ` +
    (status === 'running'
      ? '(another caller claimed it first; if its process died, resume with takeOverRunning)'
      : '(another caller may have claimed and finished it; only a failed run is resumed)')
  );
}

type NodeResult = { ok: true; output: JsonValue } | { ok: false; message: string };

/** Runs a node's function on its dependencies' outputs; a throw is its failure. */
async function callNode(runId: string, node: NodeDefinition, outputs: Map<string, JsonValue>): Promise<NodeResult> {
  const inputs: Record<string, JsonValue> = {};
  for (const dep of node.dependsOn ?? []) inputs[dep] = outputs.get(dep)!;
  try {
    return { ok: true, output: await node.run(inputs, { runId, nodeId: node.id }) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export class WorkflowEngine {
  private readonly concurrency: number;
  private readonly contract: ContractVersion;
  private readonly heartbeatMs: number;

  constructor(
    private readonly store: IWorkflowStore,
    options: EngineOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.contract = options.contract ?? LATEST_CONTRACT;
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (!Number.isInteger(heartbeatMs) || heartbeatMs < 0 || heartbeatMs > MAX_TIMER_MS)
      throw new RangeError(
        `WorkflowEngine: heartbeatMs must be 0 (none) or a whole number of ms up to ${MAX_TIMER_MS}`,
      );
    this.heartbeatMs = heartbeatMs;
  }

  /** Creates the run, claims it (pending → running) and runs every node. */
  async start(workflow: WorkflowDefinition, options: StartOptions = {}): Promise<RunOutcome> {
    checkWorkflow(workflow);
    const run = await this.store.createWorkflowRun({
      id: options.runId,
      workflow_name: workflow.name,
      user_message: options.userMessage ?? '',
      metadata: options.metadata,
    });
    const claimed = await this.claim(run.id, 'pending', {
      event_type: 'workflow_started',
      payload: { workflow: workflow.name },
    });
    return this.execute(workflow, claimed, new Map());
  }

  /**
   * Claims a failed run (failed → running, compare-and-set), skips its completed nodes and runs the
   * rest. Of several callers resuming one run, exactly one proceeds; the others get RunClaimConflictError.
   */
  async resume(workflow: WorkflowDefinition, runId: string, options: ResumeOptions = {}): Promise<RunOutcome> {
    checkWorkflow(workflow);
    const takeOver = options.takeOverRunning === true;
    // From 1.2 a takeover is fenced by the claim token of the run as read here, first of all: a taker reads
    // the run the caller judged dead, not one another taker has claimed since.
    const fenced = takeOver && atLeast(this.contract, '1.2');
    const seen = fenced ? await this.store.getWorkflowRun(runId) : null;
    // The outputs of a run that is not running do not change, so they may be read before claiming it: the
    // claim and its event then go in together. (A run left running is taken over only once its worker died.)
    const completed = await this.store.getCompletedDagNodeOutputs(runId);
    const known = new Set(workflow.nodes.map((n) => n.id));
    const reused = new Map([...completed].filter(([id]) => known.has(id)));
    const resumed = { event_type: 'workflow_resumed', payload: { completed: [...reused.keys()] } };
    let claimed: ClaimedRun;
    if (seen?.status === 'running') claimed = await this.takeOver(runId, seen.metadata, resumed);
    else
      try {
        claimed = await this.claim(runId, 'failed', resumed);
      } catch (error) {
        // From 1.2 a run read failed and claimed by another caller since is theirs: it is not taken over.
        const leftRunning = error instanceof RunClaimConflictError && error.status === 'running';
        if (!(leftRunning && takeOver && !fenced)) throw error;
        claimed = await this.takeOver(runId, undefined, resumed);
      }
    return this.execute(workflow, claimed, reused);
  }

  /**
   * Takes over a run left "running" by a process that died, in two compare-and-sets that each change the
   * status: running → failed (`workflow_interrupted`), then failed → running like any failed run. With the
   * metadata read (contract 1.2), step 1 also expects the claim token read: once a taker's step 2 has put the
   * run back to running, a step 1 expecting only "running" would match again and take it a second time;
   * expecting the token, it is refused (the winner wrote a new one). A run claimed by an engine before 1.2
   * has no token: step 1 is then fenced by the status only, and a late taker may take it again. Without the
   * metadata (1.1, 1.0) nothing can be fenced: the same holds.
   */
  private async takeOver(runId: string, seen: JsonObject | undefined, resumed: WorkflowEventInput) {
    const interrupted_at = new Date().toISOString();
    const token = seen?.[CLAIM_KEY];
    await this.compareAndSetStatus(runId, 'running', 'failed', {
      metadata: { interrupted_at },
      event: { event_type: 'workflow_interrupted', payload: { interrupted_at } },
      expectedMetadata: token === undefined ? undefined : { [CLAIM_KEY]: token },
      takingOver: true,
    });
    return this.claim(runId, 'failed', resumed);
  }

  /**
   * from → running with its event; from contract 1.2 with a new claim token in the run's metadata, written
   * in the same compare-and-set, which fences every later write of this worker.
   */
  private async claim(runId: string, from: RunStatus, event: WorkflowEventInput): Promise<ClaimedRun> {
    const token = atLeast(this.contract, '1.2') ? globalThis.crypto.randomUUID() : undefined;
    const metadata = token === undefined ? undefined : { [CLAIM_KEY]: token };
    await this.compareAndSetStatus(runId, from, 'running', { metadata, event });
    return new ClaimedRun(this.store, this.contract, runId, token);
  }

  /**
   * from → to if the run is still in `from` (compare-and-set), and from contract 1.2 has `expectedMetadata`,
   * with its event (in the same commit from contract 1.1, so no reader sees the status without the event);
   * refused with RunClaimConflictError otherwise (naming what differed when `takingOver`).
   */
  private async compareAndSetStatus(
    runId: string,
    from: RunStatus,
    to: RunStatus,
    change: {
      metadata?: JsonObject | undefined;
      event: WorkflowEventInput;
      expectedMetadata?: JsonObject | undefined;
      takingOver?: boolean;
    },
  ): Promise<void> {
    const patch = change.metadata ? { status: to, metadata: change.metadata } : { status: to };
    const conditions =
      change.expectedMetadata === undefined
        ? { expected_status: from }
        : { expected_status: from, expected_metadata: change.expectedMetadata };
    try {
      await updateWithEvents(this.store, this.contract, runId, { patch, events: [change.event], conditions });
    } catch (error) {
      if (!isWorkflowStoreError(error, 'STATUS_CONFLICT')) throw error;
      // expected_status is checked before expected_metadata: a metadata conflict means the run was running.
      const status = error.field?.startsWith('metadata.') ? 'running' : error.actual;
      throw new RunClaimConflictError(runId, status, change.takingOver ? (error.field ?? 'status') : undefined);
    }
  }

  /**
   * Runs every node not in `done`, ready nodes concurrently, with heartbeats until the last node returns;
   * stops scheduling after the first failure, or when the run is lost (a write or a heartbeat refused:
   * RunLostError, once the nodes under way have returned). The final status goes with its events; from
   * contract 1.2 also with the last node's event, when no other write was under way.
   */
  private async execute(
    workflow: WorkflowDefinition,
    run: ClaimedRun,
    done: Map<string, JsonValue>,
  ): Promise<RunOutcome> {
    const state: Execution = { outputs: new Map(done), ran: [], held: [], running: new Map(), failure: undefined };
    const pending = workflow.nodes.filter((n) => !state.outputs.has(n.id));
    const ready = () =>
      pending.filter((n) => !state.running.has(n.id) && (n.dependsOn ?? []).every((d) => state.outputs.has(d)));
    const launch = (node: NodeDefinition) => {
      const task = this.step(run, node, state, pending).catch((error: unknown) => {
        if (error instanceof RunLostError) state.lost ??= error;
        else state.failure ??= { nodeId: node.id, message: error instanceof Error ? error.message : String(error) };
      });
      state.running.set(
        node.id,
        task.finally(() => {
          state.running.delete(node.id);
          pending.splice(pending.indexOf(node), 1);
        }),
      );
    };
    const heartbeats =
      this.heartbeatMs > 0
        ? new Heartbeats(run, this.heartbeatMs, (lost) => {
            state.lost ??= lost;
          })
        : undefined;
    try {
      for (;;) {
        if (state.failure === undefined && state.lost === undefined)
          for (const node of ready().slice(0, this.concurrency - state.running.size)) launch(node);
        if (state.running.size === 0) break;
        await Promise.race(state.running.values());
      }
    } finally {
      // Before the final update: no heartbeat is under way when it commits, none follows it.
      await heartbeats?.stop();
    }
    if (state.lost !== undefined) throw state.lost;
    return this.finish(run, state, pending);
  }

  /** One node: node_started, its function, then node_completed or node_failed (held for the final update). */
  private async step(run: ClaimedRun, node: NodeDefinition, state: Execution, pending: NodeDefinition[]) {
    await run.append({ event_type: 'node_started', payload: { node_id: node.id } });
    const result = await callNode(run.runId, node, state.outputs);
    state.ran.push(node.id);
    let event: WorkflowEventInput;
    if (result.ok) {
      state.outputs.set(node.id, result.output);
      event = { event_type: 'node_completed', payload: { node_id: node.id, output: result.output } };
    } else {
      state.failure ??= { nodeId: node.id, message: result.message };
      event = { event_type: 'node_failed', payload: { node_id: node.id, error: result.message } };
    }
    // The last write before the final status (nothing else under way, nothing more to start) goes with it.
    const last = state.running.size === 1 && (state.failure !== undefined || pending.length === 1);
    if (run.batches && last) state.held.push(event);
    else await run.append(event);
  }

  /** The final status with its events (and those held for it), only if the run is still this worker's. */
  private async finish(run: ClaimedRun, state: Execution, pending: NodeDefinition[]): Promise<RunOutcome> {
    const { outputs, ran, held } = state;
    let failure = state.failure;
    if (failure === undefined && pending.length > 0)
      failure = { nodeId: pending[0]!.id, message: 'never became ready' };
    if (failure !== undefined) {
      const payload = { node_id: failure.nodeId, error: failure.message };
      await run.finish('failed', [...held, { event_type: 'workflow_failed', payload }]);
      return { runId: run.runId, status: 'failed', outputs, ran, failure };
    }
    await run.finish('completed', [...held, { event_type: 'workflow_completed' }]);
    return { runId: run.runId, status: 'completed', outputs, ran };
  }
}

/** What an execution has done so far: shared by the scheduler and the nodes' steps. */
interface Execution {
  outputs: Map<string, JsonValue>;
  ran: string[];
  /** Events kept to be committed with the final status (contract 1.2). */
  held: WorkflowEventInput[];
  running: Map<string, Promise<void>>;
  failure: RunOutcome['failure'];
  lost?: RunLostError | undefined;
}

// A small DAG engine over IWorkflowStore, and nothing else: it knows no backend.

import { isWorkflowStoreError } from '../contract/errors.js';
import type {
  IWorkflowStore,
  JsonObject,
  JsonValue,
  RunStatus,
  UpdateWorkflowRunPatch,
  WorkflowEventInput,
} from '../contract/types.js';
import { atLeast, type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';
import { checkWorkflow, type NodeDefinition, type WorkflowDefinition } from './definition.js';

export interface EngineOptions {
  /** How many ready nodes run at once. Default 4. */
  concurrency?: number;
  /**
   * The contract version the store implements; the engine uses only what it offers. From 1.1 a status
   * and its event are committed together (WF-UPD-4); under 1.0 the status is written, then its event.
   * Default: the latest.
   */
  contract?: ContractVersion;
}

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
   */
  takeOverRunning?: boolean;
}

/** The run was not in the status a claim needs: another caller claimed it first, or it cannot be resumed. */
export class RunClaimConflictError extends Error {
  constructor(
    readonly runId: string,
    /** The status the run had when the claim was refused. */
    readonly status: RunStatus | undefined,
  ) {
    super(
      `workflow run "${runId}" could not be claimed: its status is "${status ?? 'unknown'}" ` +
        (status === 'running'
          ? '(another caller claimed it first; if its process died, resume with takeOverRunning)'
          : '(another caller may have claimed and finished it; only a failed run is resumed)'),
    );
    this.name = 'RunClaimConflictError';
  }
}

export class WorkflowEngine {
  private readonly concurrency: number;
  private readonly contract: ContractVersion;

  constructor(
    private readonly store: IWorkflowStore,
    options: EngineOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.contract = options.contract ?? LATEST_CONTRACT;
  }

  /**
   * An update and the event that records it: one call from contract 1.1 (a reader sees both or neither);
   * under 1.0, the update, then the event once it has applied.
   */
  private async updateWithEvent(
    runId: string,
    patch: UpdateWorkflowRunPatch,
    event: WorkflowEventInput,
    expected?: RunStatus,
  ): Promise<void> {
    const options = expected === undefined ? {} : { expected_status: expected };
    if (atLeast(this.contract, '1.1')) {
      await this.store.updateWorkflowRun(runId, patch, { ...options, event });
      return;
    }
    await this.store.updateWorkflowRun(runId, patch, options);
    await this.store.createWorkflowEvent({ run_id: runId, ...event });
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
    await this.claim(run.id, 'pending', { event_type: 'workflow_started', payload: { workflow: workflow.name } });
    return this.execute(workflow, run.id, new Map());
  }

  /**
   * Claims a failed run (failed → running, compare-and-set), skips its completed nodes and runs the
   * rest. Of several callers resuming one run, exactly one proceeds; the others get RunClaimConflictError.
   */
  async resume(workflow: WorkflowDefinition, runId: string, options: ResumeOptions = {}): Promise<RunOutcome> {
    checkWorkflow(workflow);
    // The outputs of a run that is not running do not change, so they may be read before claiming it: the
    // claim and its event then go in together.
    const completed = await this.store.getCompletedDagNodeOutputs(runId);
    const known = new Set(workflow.nodes.map((n) => n.id));
    const reused = new Map([...completed].filter(([id]) => known.has(id)));
    const resumed = { event_type: 'workflow_resumed', payload: { completed: [...reused.keys()] } };
    try {
      await this.claim(runId, 'failed', resumed);
    } catch (error) {
      if (!(error instanceof RunClaimConflictError && error.status === 'running' && options.takeOverRunning === true))
        throw error;
      // The run was left "running" by a process that died: mark it failed, then claim it like any failed run.
      const interrupted_at = new Date().toISOString();
      await this.compareAndSetStatus(runId, 'running', 'failed', {
        metadata: { interrupted_at },
        event: { event_type: 'workflow_interrupted', payload: { interrupted_at } },
      });
      await this.claim(runId, 'failed', resumed);
    }
    return this.execute(workflow, runId, reused);
  }

  private async claim(runId: string, from: RunStatus, event: WorkflowEventInput): Promise<void> {
    await this.compareAndSetStatus(runId, from, 'running', { event });
  }

  /**
   * from → to if the run is still in `from` (compare-and-set), with its event (in the same commit from
   * contract 1.1, so no reader sees the status without the event); refused with RunClaimConflictError
   * otherwise.
   */
  private async compareAndSetStatus(
    runId: string,
    from: RunStatus,
    to: RunStatus,
    change: { metadata?: JsonObject; event: WorkflowEventInput },
  ): Promise<void> {
    const patch = change.metadata ? { status: to, metadata: change.metadata } : { status: to };
    try {
      await this.updateWithEvent(runId, patch, change.event, from);
    } catch (error) {
      if (isWorkflowStoreError(error, 'STATUS_CONFLICT')) throw new RunClaimConflictError(runId, error.actual);
      throw error;
    }
  }

  /** Runs every node not in `done`, ready nodes concurrently; stops scheduling after the first failure. */
  private async execute(
    workflow: WorkflowDefinition,
    runId: string,
    done: Map<string, JsonValue>,
  ): Promise<RunOutcome> {
    const outputs = new Map(done);
    const ran: string[] = [];
    const pending = workflow.nodes.filter((n) => !outputs.has(n.id));
    const running = new Map<string, Promise<void>>();
    let failure: RunOutcome['failure'];

    const ready = () => pending.filter((n) => !running.has(n.id) && (n.dependsOn ?? []).every((d) => outputs.has(d)));
    const launch = (node: NodeDefinition) => {
      const task = this.runNode(runId, node, outputs).then(
        (output) => {
          outputs.set(node.id, output);
          ran.push(node.id);
        },
        (error: unknown) => {
          ran.push(node.id);
          failure ??= { nodeId: node.id, message: error instanceof Error ? error.message : String(error) };
        },
      );
      running.set(
        node.id,
        task.finally(() => {
          running.delete(node.id);
          pending.splice(pending.indexOf(node), 1);
        }),
      );
    };

    for (;;) {
      if (failure === undefined) for (const node of ready().slice(0, this.concurrency - running.size)) launch(node);
      if (running.size === 0) break;
      await Promise.race(running.values());
    }

    if (failure === undefined && pending.length > 0) {
      failure = { nodeId: pending[0]!.id, message: 'never became ready' };
    }
    // The final status and its event.
    if (failure !== undefined) {
      const payload = { node_id: failure.nodeId, error: failure.message };
      await this.updateWithEvent(runId, { status: 'failed' }, { event_type: 'workflow_failed', payload });
      return { runId, status: 'failed', outputs, ran, failure };
    }
    await this.updateWithEvent(runId, { status: 'completed' }, { event_type: 'workflow_completed' });
    return { runId, status: 'completed', outputs, ran };
  }

  private async runNode(runId: string, node: NodeDefinition, outputs: Map<string, JsonValue>): Promise<JsonValue> {
    await this.store.createWorkflowEvent({ run_id: runId, event_type: 'node_started', payload: { node_id: node.id } });
    const inputs: Record<string, JsonValue> = {};
    for (const dep of node.dependsOn ?? []) inputs[dep] = outputs.get(dep)!;
    let output: JsonValue;
    try {
      output = await node.run(inputs, { runId, nodeId: node.id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.store.createWorkflowEvent({
        run_id: runId,
        event_type: 'node_failed',
        payload: { node_id: node.id, error: message },
      });
      throw error;
    }
    await this.store.createWorkflowEvent({
      run_id: runId,
      event_type: 'node_completed',
      payload: { node_id: node.id, output },
    });
    return output;
  }
}

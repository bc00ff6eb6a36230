// The check behind "no reader ever sees a status without its event" (WF-UPD-4): a writer claims and
// releases one run over and over, each update carrying its cycle number in the metadata and in its
// event; a reader reads the run, then its log, and the log must already hold that cycle's event.

import type { IWorkflowStore } from '../../contract/types.js';

/** The event each status is entered with. */
const ENTERED_WITH = { running: 'claimed', failed: 'released' } as const;

export async function createCycledRun(store: IWorkflowStore, runId: string): Promise<void> {
  await store.createWorkflowRun({
    id: runId,
    workflow_name: 'cycles',
    user_message: '',
    status: 'failed',
    metadata: { cycle: 0 },
  });
}

/** Claims and releases the run `cycles` times, each change with its event, committed together. */
export async function cycle(store: IWorkflowStore, runId: string, cycles: number): Promise<void> {
  for (let n = 1; n <= cycles * 2; n++) {
    const to = n % 2 === 1 ? 'running' : 'failed';
    const from = to === 'running' ? 'failed' : 'running';
    await store.updateWorkflowRun(
      runId,
      { status: to, metadata: { cycle: n } },
      { expected_status: from, event: { event_type: ENTERED_WITH[to], payload: { cycle: n } } },
    );
    // As an engine would between two changes (a node's work): a reader in this process gets its turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** One read of the run, then of its log: what is wrong, or undefined. */
export async function checkOnce(store: IWorkflowStore, runId: string): Promise<string | undefined> {
  const run = await store.getWorkflowRun(runId);
  if (run === null) return `run "${runId}" is missing`;
  const n = run.metadata.cycle as number;
  if (n === 0) return undefined;
  const events = await store.listWorkflowEvents(runId, { after_sequence: n - 1, limit: 1 });
  const event = events[0];
  const expected = ENTERED_WITH[run.status as keyof typeof ENTERED_WITH];
  if (event === undefined || event.payload.cycle !== n || event.event_type !== expected) {
    const found = event ? `${event.event_type} of cycle ${String(event.payload.cycle)}` : 'not in the log';
    return `the run was "${run.status}" at cycle ${n}, but its event ${n} is ${found}`;
  }
  return undefined;
}

/** Reads until `done` resolves; the violations seen and how many reads were made. */
export async function readUntil(
  store: IWorkflowStore,
  runId: string,
  done: Promise<unknown>,
): Promise<{ reads: number; violations: string[] }> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const violations: string[] = [];
  let reads = 0;
  while (!finished) {
    const problem = await checkOnce(store, runId);
    reads++;
    if (problem !== undefined) violations.push(problem);
    // Let the writer's I/O go on (an in-memory store would otherwise never yield).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { reads, violations };
}

// The check behind "no reader ever sees a status without its event" (WF-UPD-4, and WF-UPD-5 for several):
// a writer claims and releases one run over and over, each update carrying its cycle number in the metadata
// and in its events; a reader reads the run, then its log, and the log must already hold that cycle's last
// event. The metadata also says how many events each change carries, so a reader needs no other word.

import type { IWorkflowStore, WorkflowEvent } from '../../contract/types.js';

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

/**
 * Claims and releases the run `cycles` times, each change with its event committed together — or with
 * `perChange` events (`options.events`), the last of them the one the status is entered with.
 */
export async function cycle(store: IWorkflowStore, runId: string, cycles: number, perChange = 1): Promise<void> {
  for (let n = 1; n <= cycles * 2; n++) {
    const to = n % 2 === 1 ? 'running' : 'failed';
    const from = to === 'running' ? 'failed' : 'running';
    const entered = { event_type: ENTERED_WITH[to], payload: { cycle: n } };
    const before = Array.from({ length: perChange - 1 }, (_, part) => ({
      event_type: `${ENTERED_WITH[to]}.part`,
      payload: { cycle: n, part },
    }));
    await store.updateWorkflowRun(
      runId,
      { status: to, metadata: perChange === 1 ? { cycle: n } : { cycle: n, events: perChange } },
      perChange === 1
        ? { expected_status: from, event: entered }
        : { expected_status: from, events: [...before, entered] },
    );
    // As an engine would between two changes (a node's work): a reader in this process gets its turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What a violation that is a paging bug, not a status without its event, starts with. */
const PAGING = 'paging: ';

/** One read of the run, then of its log: what is wrong, or undefined. */
export async function checkOnce(store: IWorkflowStore, runId: string): Promise<string | undefined> {
  const run = await store.getWorkflowRun(runId);
  if (run === null) return `run "${runId}" is missing`;
  const n = run.metadata.cycle as number;
  if (n === 0) return undefined;
  // The last event of cycle n: each change appends the same number of events.
  const last = n * ((run.metadata.events as number | undefined) ?? 1);
  const expected = ENTERED_WITH[run.status as keyof typeof ENTERED_WITH];
  const isIt = (e: WorkflowEvent | undefined) =>
    e?.sequence === last && e.payload.cycle === n && e.event_type === expected;
  const pageCall = `listWorkflowEvents("${runId}", { after_sequence: ${last - 1}, limit: 1 })`;
  const page = () => store.listWorkflowEvents(runId, { after_sequence: last - 1, limit: 1 });
  const event = (await page())[0];
  if (isIt(event)) return undefined;
  if (event !== undefined && event.sequence !== last) {
    const why = 'a page starts right after after_sequence';
    return `${PAGING}${pageCall} returned event ${event.sequence}, not ${last}: ${why}`;
  }
  if (event === undefined && isIt((await store.listWorkflowEvents(runId)).find((e) => e.sequence === last))) {
    // The whole log holds the event: asked again, a page that still misses it is a paging bug; one that now
    // holds it means the event came after the status.
    if (!isIt((await page())[0])) return `${PAGING}${pageCall} returned nothing, yet the whole log holds event ${last}`;
  }
  const found = event ? `${event.event_type} of cycle ${String(event.payload.cycle)}` : 'not in the log';
  return `the run was "${run.status}" at cycle ${n}, but its event ${last} is ${found}`;
}

/**
 * What the reader saw, as the failure says it, or undefined when it saw no violation. Paging bugs are said
 * first and as what they are (WF-SEQ-2), not as a status without its event.
 */
export function readerVerdict({ reads, violations }: { reads: number; violations: string[] }): string | undefined {
  if (violations.length === 0) return undefined;
  const paging = violations.filter((v) => v.startsWith(PAGING)).map((v) => v.slice(PAGING.length));
  const missing = violations.filter((v) => !v.startsWith(PAGING));
  const lines: string[] = [];
  if (paging.length > 0) {
    lines.push(
      `listWorkflowEvents pages disagree with the log in ${paging.length} of ${reads} reads (WF-SEQ-2: events ` +
        'after after_sequence, at most limit), so this check of WF-UPD-4 could not read the event of each status:',
      ...paging.slice(0, 3).map((v) => `  ${v}`),
    );
  }
  if (missing.length > 0) {
    lines.push(
      `${missing.length} of ${reads} reads saw a status without its event (WF-UPD-4):`,
      ...missing.slice(0, 5).map((v) => `  ${v}`),
    );
  }
  return lines.join('\n');
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

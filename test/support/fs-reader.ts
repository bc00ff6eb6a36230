// Child process for the filesystem backend's visibility checks: reads a run another process is changing and
// reports what it saw that it must never see. Prints "ready" once polling, then one JSON line at the end.
// Usage: node --import tsx fs-reader.ts <updates | groups | rewrites> <artifactsDir> <runId> [events per update]
//
// updates: the writer makes updates 1, 2, 3, … each with its event (updateWorkflowRun with `event`), update k
//   setting metadata.step = k and its event carrying payload.step = k, every event being such an update's.
//   A status without its event: the run read says step k, the events read after it lack event k (or event k
//   is not the one of that status). An event without its status: the events read say step m, the run read
//   after them is at a step before m. Ends when the run is cancelled.
// groups: as updates, each update with G events (payload.step = k, payload.i = 0 … G - 1). Part of an update's
//   events: a count that is not a multiple of G, or an event out of its place. A status without its events: the
//   run read says step k, the events read after it are fewer than k × G. Events without their status: the events
//   read say step m, the run read after them is at a step before m. Ends when the run is cancelled.
// rewrites: the writer rewrites run.json many times (metadata.i = 1, 2, …, a large pad each time); run.json
//   read with fs must always be whole JSON, and getWorkflowRun must never go back. Ends at metadata.done.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createFilesystemStore } from '../../src/backends/filesystem/index.js';
import type { IWorkflowStore, WorkflowEvent, WorkflowRun } from '../../src/contract/types.js';

const [mode, artifactsDir, runId] = process.argv.slice(2) as [string, string, string];
const STATUS_OF_EVENT: Record<string, string> = { claimed: 'running', released: 'paused', finished: 'cancelled' };
const deadline = Date.now() + 120_000;

const stepOf = (run: WorkflowRun) => run.metadata.step as number;

function statusWithoutEvent(run: WorkflowRun, events: WorkflowEvent[]): string | undefined {
  const step = stepOf(run);
  if (step === 0) return undefined;
  const event = events[step - 1];
  if (event?.payload.step !== step) return `status "${run.status}" of step ${step}, but ${events.length} events`;
  if (STATUS_OF_EVENT[event.event_type] !== run.status) return `status "${run.status}" with event ${event.event_type}`;
  return undefined;
}

function eventWithoutStatus(events: WorkflowEvent[], run: WorkflowRun): string | undefined {
  const last = events.at(-1)?.payload.step as number | undefined;
  return last !== undefined && stepOf(run) < last
    ? `event of step ${last}, then the run at step ${stepOf(run)}`
    : undefined;
}

async function watchUpdates(store: IWorkflowStore): Promise<{ checks: number; problems: string[] }> {
  const problems: string[] = [];
  let checks = 0;
  for (;;) {
    const run = (await store.getWorkflowRun(runId))!;
    const events = await store.listWorkflowEvents(runId);
    const later = await store.listWorkflowEvents(runId);
    const after = (await store.getWorkflowRun(runId))!;
    for (const problem of [statusWithoutEvent(run, events), eventWithoutStatus(later, after)])
      if (problem !== undefined) problems.push(problem);
    checks++;
    if (after.status === 'cancelled' || Date.now() > deadline) return { checks, problems };
  }
}

/** Why events read after the first `seen` of a run of G-event updates are not what they must be, or undefined. */
function partOfUpdates(events: WorkflowEvent[], seen: number, size: number): string | undefined {
  const total = seen + events.length;
  if (total % size !== 0) return `${total} events: part of an update of ${size}`;
  const misplaced = events.findIndex((e, k) => {
    const j = seen + k;
    return e.sequence !== j + 1 || e.payload.step !== Math.floor(j / size) + 1 || e.payload.i !== j % size;
  });
  return misplaced < 0 ? undefined : `event ${seen + misplaced + 1} is not in its place`;
}

/** Reads only the events it has not seen: an event once committed stays as it is. */
async function watchGroups(store: IWorkflowStore, size: number): Promise<{ checks: number; problems: string[] }> {
  const problems: string[] = [];
  let checks = 0;
  let seen = 0;
  for (;;) {
    const run = (await store.getWorkflowRun(runId))!;
    const events = await store.listWorkflowEvents(runId, { after_sequence: seen });
    const after = (await store.getWorkflowRun(runId))!;
    const total = seen + events.length;
    const found = [
      partOfUpdates(events, seen, size),
      total < stepOf(run) * size ? `status of step ${stepOf(run)}, then ${total} events` : undefined,
      stepOf(after) * size < total ? `${total} events, then the run at step ${stepOf(after)}` : undefined,
    ];
    for (const problem of found) if (problem !== undefined) problems.push(problem);
    seen = total - (total % size);
    checks++;
    if (after.status === 'cancelled' || Date.now() > deadline) return { checks, problems };
  }
}

async function watchRewrites(store: IWorkflowStore): Promise<{ checks: number; problems: string[] }> {
  const problems: string[] = [];
  let checks = 0;
  let seen = 0;
  for (;;) {
    let raw: WorkflowRun | undefined;
    try {
      raw = JSON.parse(readFileSync(path.join(artifactsDir, runId, 'run.json'), 'utf8')) as WorkflowRun;
    } catch (error) {
      problems.push(`run.json read with fs: ${(error as Error).message}`);
    }
    const run = (await store.getWorkflowRun(runId))!;
    const i = (run.metadata.i as number | undefined) ?? 0;
    if (i < seen) problems.push(`getWorkflowRun went back from ${seen} to ${i}`);
    seen = i;
    checks++;
    if (raw?.metadata.done === true || run.metadata.done === true || Date.now() > deadline) return { checks, problems };
  }
}

const store = await createFilesystemStore({ artifactsDir, fsync: false });
try {
  process.stdout.write('ready\n');
  const result = await (mode === 'updates'
    ? watchUpdates(store)
    : mode === 'groups'
      ? watchGroups(store, Number(process.argv[5]))
      : watchRewrites(store));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await store.close();
}

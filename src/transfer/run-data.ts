// A run as it moves between stores: the run, its whole log, its outputs (derived from the log, carried
// to check the copy), read through the public interface page by page, and its canonical digest.

import { createHash } from 'node:crypto';
import type { IWorkflowStore, JsonValue, WorkflowEvent, WorkflowRun } from '../contract/types.js';

export interface RunData {
  run: WorkflowRun;
  events: WorkflowEvent[];
  /** [node id, output], in the store's order. */
  outputs: [string, JsonValue][];
}

const PAGE = 1000;

/** Every event of a run, a page at a time (bounded reads, whatever the log's length). */
export async function* eventPages(store: IWorkflowStore, runId: string): AsyncGenerator<WorkflowEvent[]> {
  let after = 0;
  for (;;) {
    const page = await store.listWorkflowEvents(runId, { after_sequence: after, limit: PAGE });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.sequence;
    if (page.length < PAGE) return;
  }
}

/** The run and everything it holds, or null when it does not exist. */
export async function readRun(store: IWorkflowStore, runId: string): Promise<RunData | null> {
  const run = await store.getWorkflowRun(runId);
  if (run === null) return null;
  const events: WorkflowEvent[] = [];
  for await (const page of eventPages(store, runId)) events.push(...page);
  const outputs = [...(await store.getCompletedDagNodeOutputs(runId))];
  return { run, events, outputs };
}

/** The fields of each record in one order, so that equal data gives equal text whatever the store. */
export function canonicalRun(run: WorkflowRun): WorkflowRun {
  const { id, workflow_name, status, user_message, metadata, created_at, updated_at } = run;
  return { id, workflow_name, status, user_message, metadata, created_at, updated_at };
}

export function canonicalEvent(event: WorkflowEvent): WorkflowEvent {
  const { run_id, sequence, event_type, timestamp, payload } = event;
  return { run_id, sequence, event_type, timestamp, payload };
}

/**
 * SHA-256 of the run, its log and its outputs (sorted by node id: their order is only recommended,
 * WF-OUT-4) as canonical JSON lines. Equal on two stores when the copy is exact, key order included.
 */
export function digestOf(data: RunData): string {
  const outputs = [...data.outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // One string, one update: an update per event costs more than the event's own hashing.
  const lines = [canonicalRun(data.run), ...data.events.map(canonicalEvent)].map((record) => JSON.stringify(record));
  return createHash('sha256')
    .update(`${lines.join('\n')}\n${JSON.stringify(outputs)}`)
    .digest('hex');
}

// The SQLite driver's writes, as plain synchronous functions: each runs inside a transaction the caller
// holds (group-commit.ts: BEGIN IMMEDIATE, so SQLite's single write lock is held from the first statement,
// and a savepoint per write). Reads live in driver.ts.

import { runAlreadyExists, runNotFound } from '../../contract/errors.js';
import { applyUpdate, checkConditions } from '../../contract/decide.js';
import type { JsonObject, RunStatus, WorkflowRun } from '../../contract/types.js';
import type {
  AppendEventRequest,
  EventRequest,
  ImportRunRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { latestCompletions } from '../define-store.js';
import { contentHash, rowProblem, sealChecksum } from '../sql/checksum.js';
import { checkTail, joinedEvent } from '../sql/integrity.js';
import { newRunValues, toRun } from '../sql/rows.js';
import { IMPORT_ROWS, type Queries } from './queries.js';

/** The run's last_sequence, once its last row is checked against it (sql/integrity.ts). */
export function checkedLast(q: Queries, runId: string): number {
  const state = q.runState.get(runId);
  if (state === undefined) throw runNotFound(runId);
  const tail = joinedEvent(state);
  checkTail(runId, state.last, tail && { sequence: tail.sequence, problem: rowProblem(tail) });
  return state.last;
}

/**
 * A fenced append's conditions, against the run as stored now (WF-SEQ-4): the transaction holds the write lock,
 * so nobody changes the run before the event is written. Existence first, then the conditions (WF-CAS-3).
 */
function checkAppendConditions(q: Queries, request: AppendEventRequest): void {
  if (request.expected_status === undefined && request.expected_metadata === undefined) return;
  const row = q.runConditions.get(request.run_id);
  if (row === undefined) throw runNotFound(request.run_id);
  const metadata = request.expected_metadata === undefined ? {} : (JSON.parse(row.metadata) as JsonObject);
  checkConditions({ id: request.run_id, status: row.status as RunStatus, metadata }, request);
}

/**
 * Sequence, counter, event row and node output, together. The number is safe because the transaction
 * holds the database's write lock, across processes too.
 */
export function appendEvent(q: Queries, request: AppendEventRequest, timestamp: string): number {
  checkAppendConditions(q, request);
  const { run_id, event_type, payloadJson } = request;
  const sequence = checkedLast(q, run_id) + 1;
  q.setLastSequence.run(sequence, run_id);
  const checksum = sealChecksum(run_id, sequence, contentHash(event_type, timestamp, payloadJson));
  q.insertEvent.run(run_id, sequence, event_type, timestamp, payloadJson, checksum);
  if (request.node !== undefined) q.upsertOutput.run(run_id, request.node.node_id, request.node.outputJson, sequence);
  return sequence;
}

type EventRow = readonly [string, number, string, string, string, string];

/** Event rows, IMPORT_ROWS to a statement: each call into SQLite costs more than the row it inserts. */
function insertEventRows(q: Queries, rows: readonly EventRow[]): void {
  let at = 0;
  for (; at + IMPORT_ROWS <= rows.length; at += IMPORT_ROWS)
    q.insertEvents.run(rows.slice(at, at + IMPORT_ROWS).flat());
  for (const row of rows.slice(at)) q.insertEvent.run(...row);
}

/**
 * An update's events (WF-UPD-4, WF-UPD-5), numbered from the run's checked tail in list order: the rows in a
 * few statements, the counter once, and each node's latest output once.
 */
function appendEvents(q: Queries, runId: string, events: readonly EventRequest[], timestamp: string): void {
  const last = checkedLast(q, runId);
  const rows = events.map(({ event_type, payloadJson }, i): EventRow => {
    const sequence = last + 1 + i;
    const checksum = sealChecksum(runId, sequence, contentHash(event_type, timestamp, payloadJson));
    return [runId, sequence, event_type, timestamp, payloadJson, checksum];
  });
  insertEventRows(q, rows);
  q.setLastSequence.run(last + events.length, runId);
  const outputs = new Map<string, { outputJson: string; sequence: number }>();
  events.forEach(({ node }, i) => {
    if (node !== undefined) outputs.set(node.node_id, { outputJson: node.outputJson, sequence: last + 1 + i });
  });
  for (const [nodeId, { outputJson, sequence }] of outputs) q.upsertOutput.run(runId, nodeId, outputJson, sequence);
}

export function updateRun(q: Queries, request: UpdateRunRequest, now: string): WorkflowRun {
  const row = q.getRun.get(request.id);
  if (row === undefined) throw runNotFound(request.id);
  const { run, metadataJson } = applyUpdate(toRun(row), request, now);
  q.updateRun.run(run.status, metadataJson, run.updated_at, run.id);
  // In the same transaction: a reader sees the update and its events, or none of them (WF-UPD-4, WF-UPD-5).
  if (request.events.length > 0) appendEvents(q, run.id, request.events, run.updated_at);
  return run;
}

/** The old run (if replaced) goes and the new one comes in one transaction: a reader sees one or the other. */
export function importRun(q: Queries, { run, events }: ImportRunRequest, replace: boolean): void {
  if (replace) q.deleteRun.run(run.id);
  if (q.insertRun.run(...newRunValues(run)).changes === 0) throw runAlreadyExists(run.id);
  const rows = events.map(({ sequence, event_type, timestamp, payloadJson }) => {
    const checksum = sealChecksum(run.id, sequence, contentHash(event_type, timestamp, payloadJson));
    return [run.id, sequence, event_type, timestamp, payloadJson, checksum] as EventRow;
  });
  insertEventRows(q, rows);
  for (const [nodeId, { outputJson, sequence }] of latestCompletions(events))
    q.upsertOutput.run(run.id, nodeId, outputJson, sequence);
  q.setLastSequence.run(events.length, run.id);
}

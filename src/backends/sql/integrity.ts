// What a call of either SQL backend checks in the rows it touches before it answers (docs/contract.md, WF-DUR-2).
// A failed check is STORE_CORRUPTED naming the run, the table and the sequence; nothing is renumbered,
// skipped or repaired on the way.
//
// - Every call that reads or extends a run's log checks its tail: the row at the run's last_sequence exists,
//   no row lies beyond it, and its checksum holds (one indexed row: rows lost at the end are caught by any call).
// - listWorkflowEvents checks each row it returns (checksum, and exactly the sequences after_sequence + 1,
//   + 2, … up to the limit or last_sequence: a gap inside the page is caught).
// - getCompletedDagNodeOutputs checks each output row against its event (present, intact, a completion of
//   that node, the same output).
// A damaged row elsewhere in the log is found when a page reaches it, and by `verify`, which reads everything.

import { storeCorrupted } from '../../contract/errors.js';
import type { JsonObject, JsonValue, WorkflowEvent } from '../../contract/types.js';
import type { ListEventsRequest } from '../../contract/validation.js';
import { rowProblem, type StoredEventRow } from './checksum.js';

export const NODE_COMPLETED = 'node_completed';

/** Where an event row is, as damage names it. */
export const eventPlace = (sequence: number): string => `workflow_events sequence ${sequence}`;
/** Where an output row is, as damage names it. */
export const outputPlace = (nodeId: string, sequence: number): string =>
  `workflow_node_outputs node "${nodeId}" sequence ${sequence}`;

/** The run's row with the highest sequence, as a call sees it; undefined when the run has no rows. */
export type Tail = { sequence: number; problem: string | undefined } | undefined;

/** What is wrong with a run's tail against its last_sequence, as [where, problem]; undefined when sound. */
function tailDamage(last: number, tail: Tail): [string, string] | undefined {
  const end = tail?.sequence ?? 0;
  if (end < last) {
    const lost = end + 1 === last ? `sequence ${last} is` : `sequences ${end + 1} to ${last} are`;
    return [
      eventPlace(end + 1),
      `missing: the run records last_sequence ${last}, its rows end at ${end} (${lost} lost)`,
    ];
  }
  if (end > last) return [eventPlace(end), `lies beyond the run's last_sequence ${last}`];
  if (tail?.problem !== undefined) return [eventPlace(end), tail.problem];
  return undefined;
}

/** Throws STORE_CORRUPTED when the run's tail does not match its last_sequence. */
export function checkTail(runId: string, last: number, tail: Tail): void {
  const damage = tailDamage(last, tail);
  if (damage !== undefined) throw storeCorrupted(runId, ...damage);
}

/** The JSON object a payload's text holds; undefined for text that is no JSON object. */
export function payloadObject(text: string): JsonObject | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return undefined;
  }
  const isObject = typeof payload === 'object' && payload !== null && !Array.isArray(payload);
  return isObject ? (payload as JsonObject) : undefined;
}

/** A row's payload as an object; text that is no JSON object is damage. */
export function parsePayload(runId: string, row: StoredEventRow): JsonObject {
  const payload = payloadObject(row.payload);
  if (payload === undefined) throw storeCorrupted(runId, eventPlace(row.sequence), 'the payload is no JSON object');
  return payload;
}

/**
 * The events of a page, once each row is checked: exactly the sequences after_sequence + 1, + 2, … up to the
 * limit or the run's last_sequence, each with its checksum.
 */
export function checkPage(request: ListEventsRequest, last: number, rows: StoredEventRow[]): WorkflowEvent[] {
  const { run_id: runId, after_sequence: after, limit } = request;
  const end = Math.max(after, limit === undefined ? last : Math.min(last, after + limit));
  const events = rows.map((row, i) => {
    const expected = after + 1 + i;
    if (expected > end)
      throw storeCorrupted(runId, eventPlace(row.sequence), `lies beyond the run's last_sequence ${last}`);
    if (row.sequence !== expected) {
      throw storeCorrupted(
        runId,
        eventPlace(expected),
        `missing: the row after sequence ${expected - 1} is ${row.sequence}`,
      );
    }
    const problem = rowProblem(row);
    if (problem !== undefined) throw storeCorrupted(runId, eventPlace(row.sequence), problem);
    const { sequence, event_type, timestamp } = row;
    return { run_id: runId, sequence, event_type, timestamp, payload: parsePayload(runId, row) };
  });
  const next = after + rows.length + 1;
  if (next <= end) throw storeCorrupted(runId, eventPlace(next), `missing: the page ends at ${next - 1}`);
  return events;
}

/** A row of a LEFT JOIN: every column of T may be null. */
export type Nullable<T> = { [K in keyof T]: T[K] | null };

/** The event columns of a joined row as an event row; undefined when the join found none. */
export function joinedEvent(row: Nullable<StoredEventRow>): StoredEventRow | undefined {
  if (row.sequence === null) return undefined;
  const { run_id, sequence, event_type, timestamp, payload, checksum } = row as StoredEventRow;
  return { run_id, sequence, event_type, timestamp, payload, checksum };
}

/** An output row with the event row at its sequence, as both backends select it. */
export type OutputRow = { node_id: string; output_sequence: number; output: string } & Nullable<StoredEventRow>;

/** The output a node_completed payload records (WF-OUT-1). */
export function outputOf(payload: JsonObject): JsonValue {
  return Object.hasOwn(payload, 'output') ? payload.output! : null;
}

/**
 * The outputs, once each row is checked against the event it was recorded with: the event exists, is intact,
 * completes that node and holds the same output. The values come from the checked events.
 */
export function checkOutputs(runId: string, rows: OutputRow[]): Map<string, JsonValue> {
  const outputs = new Map<string, JsonValue>();
  for (const row of rows) {
    const { node_id, output_sequence, output } = row;
    const event = joinedEvent(row);
    if (event === undefined) {
      throw storeCorrupted(
        runId,
        eventPlace(output_sequence),
        `missing: the output of node "${node_id}" in workflow_node_outputs was recorded with it`,
      );
    }
    const problem = rowProblem(event);
    if (problem !== undefined) throw storeCorrupted(runId, eventPlace(output_sequence), problem);
    const payload = parsePayload(runId, event);
    if (event.event_type !== NODE_COMPLETED || payload.node_id !== node_id) {
      throw storeCorrupted(runId, outputPlace(node_id, output_sequence), 'that event is no completion of this node');
    }
    const value = outputOf(payload);
    if (JSON.stringify(value) !== output) {
      throw storeCorrupted(runId, outputPlace(node_id, output_sequence), "the output differs from its event's");
    }
    outputs.set(node_id, value);
  }
  return outputs;
}

// The one home of the events.jsonl line format: how a line is written, how it is read back, and the
// cheap look at its head that spares parsing a payload. Change the format here and all three change.
//
// A line is a JSON object and "\n":
//   {"run_id":"r","sequence":3,"event_type":"x","timestamp":"…","payload":{…}[,"update":{…}],"crc":"0123abcd"}
//   {"run_id":"r","sequence":3,"event_type":"x","timestamp":"…","payload":{…},"committed_by":5,"crc":"4567abcd"}
// The event's keys come first, in the order of a WorkflowEvent. "update" is on the last line of the events an
// updateWorkflowRun commits (the patch it applied: "status" and/or "metadata"; the update's updated_at is the
// events' timestamp), so that run.json can be rolled forward from the log (see run-state.ts): that line is the
// update's commit. The update's other events, written before it, each carry "committed_by": the sequence of
// that line. Until the line is complete in the log they are not committed: a crash mid-write leaves them as a
// torn tail, never part of the log (log/check.ts). "crc" is the CRC-32 of every byte of the line before it
// (files/checksum.ts). JSON escapes every "\n" inside a value, so the newline only ever ends a line; bytes after
// the last one are a torn write (a crash mid-append), not part of the log.
// Format 1 (.wfstore-format): every line carries its checksum; lines without one are damage. Format 2 adds
// "committed_by" (several events with one update); a log of format 1 is one of format 2 without it.

import {
  NODE_COMPLETED,
  type JsonObject,
  type JsonValue,
  type RunStatus,
  type WorkflowEvent,
} from '../../../contract/types.js';
import type { CreateEventRequest } from '../../../contract/validation.js';
import { CHECKSUM_SUFFIX_LENGTH, sealed } from '../files/checksum.js';

/** The byte that ends every line. */
export const LINE_END = 0x0a;

/** What updateWorkflowRun changed, recorded on its event's line. */
export interface LoggedUpdate {
  status?: RunStatus;
  metadata?: JsonObject;
}

/** The patch an update's commit line records (metadata as JSON text). */
export interface UpdateMembers {
  status: RunStatus | undefined;
  metadataJson: string | undefined;
}

/**
 * The line recording `request` as event `sequence`, its "\n" included; with `update`, the commit line of an
 * update; with `committedBy`, an event of an update written before its commit line, which has that sequence.
 */
export function eventLine(
  request: CreateEventRequest,
  sequence: number,
  timestamp: string,
  update?: UpdateMembers,
  committedBy?: number,
): Buffer {
  let text =
    `{"run_id":${JSON.stringify(request.run_id)},"sequence":${sequence},` +
    `"event_type":${JSON.stringify(request.event_type)},"timestamp":${JSON.stringify(timestamp)},` +
    `"payload":${request.payloadJson}`;
  if (update !== undefined) {
    const members = [
      ...(update.status === undefined ? [] : [`"status":${JSON.stringify(update.status)}`]),
      ...(update.metadataJson === undefined ? [] : [`"metadata":${update.metadataJson}`]),
    ];
    text += `,"update":{${members.join(',')}}`;
  }
  if (committedBy !== undefined) text += `,${COMMITTED_BY}${committedBy}`;
  const { record, length } = sealed(text, Buffer.byteLength(text, 'utf8') + CHECKSUM_SUFFIX_LENGTH + 1);
  record[length] = LINE_END;
  return record;
}

const COMMITTED_BY = '"committed_by":';
const MARKER = Buffer.from(`,${COMMITTED_BY}`, 'latin1');
const ASCII_ZERO = 0x30;

/**
 * The "committed_by" of the line `bytes[start, newline)` (a line that passed its checksum), or 0 when it has
 * none. Read backwards from the checksum: a payload or an update ends with "}", so only the member itself
 * puts a digit there.
 */
export function committedByOf(bytes: Buffer, start: number, newline: number): number {
  let at = newline - CHECKSUM_SUFFIX_LENGTH - 1;
  let value = 0;
  // At most 15 digits: a safe integer.
  for (let scale = 1; scale <= 1e14 && at > start && bytes[at]! >= ASCII_ZERO && bytes[at]! <= ASCII_ZERO + 9; at--) {
    value += (bytes[at]! - ASCII_ZERO) * scale;
    scale *= 10;
  }
  if (value === 0 || at - MARKER.length + 1 <= start) return 0;
  for (let i = 0; i < MARKER.length; i++) if (bytes[at - MARKER.length + 1 + i] !== MARKER[i]) return 0;
  return value;
}

/** Splits log text into complete lines; a final piece without its "\n" is a torn write and dropped. */
export function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

interface StoredLine extends WorkflowEvent {
  update?: LoggedUpdate;
}

/** The event a line records (its five fields only: the update and checksum are the store's own). */
export function parseEventLine(line: string): WorkflowEvent {
  const { run_id, sequence, event_type, timestamp, payload } = JSON.parse(line) as StoredLine;
  return { run_id, sequence, event_type, timestamp, payload };
}

/** The update an updateWorkflowRun event line records, with the update's time; undefined on other lines. */
export function updateOf(line: string): { update: LoggedUpdate; timestamp: string } | undefined {
  const stored = JSON.parse(line) as StoredLine;
  return stored.update === undefined ? undefined : { update: stored.update, timestamp: stored.timestamp };
}

// Run ids and event types are validated ([A-Za-z0-9._-], [A-Za-z0-9._:-]): JSON never escapes them, so
// eventLine's head is literally this. It is anchored at the start of the line, before the payload, so
// no payload can fake it.
const HEAD = /^\{"run_id":"[A-Za-z0-9._-]+","sequence":([0-9]+),"event_type":"([A-Za-z0-9._:-]+)","timestamp":/;

interface Head {
  sequence: unknown;
  event_type: unknown;
  /** The whole event, when the head did not match and the line had to be parsed. */
  event?: WorkflowEvent;
}

/** The sequence and event type of a line: from its head when it has ours, else by parsing it whole. */
function headOf(line: string): Head {
  const match = HEAD.exec(line);
  if (match !== null) return { sequence: Number(match[1]), event_type: match[2] };
  const event = JSON.parse(line) as Partial<WorkflowEvent> | null;
  return { sequence: event?.sequence, event_type: event?.event_type, event: event as WorkflowEvent };
}

/** The sequence a line holds, without parsing its payload; undefined when it holds no valid one. */
export function sequenceOfLine(line: string): number | undefined {
  const { sequence } = headOf(line);
  return typeof sequence === 'number' && Number.isSafeInteger(sequence) && sequence >= 1 ? sequence : undefined;
}

export interface Completion {
  node_id: string;
  sequence: number;
  /** `payload.output`, or null when the payload has none (as the contract records it). */
  output: JsonValue;
}

/** The node completion a line records, or undefined for any other event (whose payload is not parsed). */
export function completionOf(line: string): Completion | undefined {
  const head = headOf(line);
  if (head.event_type !== NODE_COMPLETED) return undefined;
  const event = head.event ?? parseEventLine(line);
  return {
    node_id: event.payload.node_id as string,
    sequence: event.sequence,
    output: Object.hasOwn(event.payload, 'output') ? event.payload.output! : null,
  };
}

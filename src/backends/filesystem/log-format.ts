// The one home of the events.jsonl line format: how a line is written, how it is read back, and the
// cheap look at its head that spares parsing a payload. Change the format here and all three change.
//
// A line is the event exactly as JSON.stringify writes a WorkflowEvent (keys run_id, sequence,
// event_type, timestamp, payload, in that order), then "\n". JSON escapes every "\n" inside a value, so
// the newline only ever ends a line; bytes after the last one are a torn write (a crash mid-append) and
// not part of the log.

import { NODE_COMPLETED, type JsonValue, type WorkflowEvent } from '../../contract/types.js';
import type { CreateEventRequest } from '../../contract/validation.js';

/** The byte that ends every line. */
export const LINE_END = 0x0a;

/** The line recording `request` as event `sequence`, its "\n" included. */
export function eventLine(request: CreateEventRequest, sequence: number, timestamp: string): string {
  return (
    `{"run_id":${JSON.stringify(request.run_id)},"sequence":${sequence},` +
    `"event_type":${JSON.stringify(request.event_type)},"timestamp":${JSON.stringify(timestamp)},` +
    `"payload":${request.payloadJson}}\n`
  );
}

/** Splits log text into complete lines; a final piece without its "\n" is a torn write and dropped. */
export function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

export function parseEventLine(line: string): WorkflowEvent {
  return JSON.parse(line) as WorkflowEvent;
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
  const event = parseEventLine(line) as Partial<WorkflowEvent> | null;
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

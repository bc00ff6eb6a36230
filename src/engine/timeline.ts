// An event log as a readable timeline, one line an event: its sequence, its full timestamp (UTC, as stored),
// its type, and every field of its payload as `name=value`, in the payload's own order. Nothing is read into
// a payload: a field an engine records is shown under the name it gave it, whichever engine wrote it.

import type { JsonValue, WorkflowEvent } from '../contract/types.js';

/** A value longer than this (as shown) is cut, with a marker saying how much was left out. */
export const TIMELINE_VALUE_MAX = 120;

/** A string shown bare when nothing in it could be mistaken for the line's punctuation or another value. */
const BARE = /^[\p{L}_][\p{L}\p{N}_./:@+-]*$/u;
const bare = (text: string) => BARE.test(text) && !['true', 'false', 'null'].includes(text);

/** A value as the timeline shows it: a bare word, else JSON; cut at `max` characters with `…(+N chars)`. */
export function timelineValue(value: JsonValue, max = TIMELINE_VALUE_MAX): string {
  const text = typeof value === 'string' && bare(value) ? value : JSON.stringify(value);
  if (text.length <= max) return text;
  // Never between the two halves of a surrogate pair.
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…(+${text.length - cut} chars)`;
}

/** The payload as `name=value` pairs, separated by two spaces. */
function fields(payload: WorkflowEvent['payload']): string {
  return Object.entries(payload)
    .map(([name, value]) => `${bare(name) ? name : JSON.stringify(name)}=${timelineValue(value)}`)
    .join('  ');
}

export function formatTimeline(events: readonly WorkflowEvent[]): string {
  const width = Math.max(...events.map((e) => e.event_type.length), 18);
  const sequenceWidth = Math.max(...events.map((e) => String(e.sequence).length + 1), 4);
  return events
    .map((event) => {
      const sequence = `#${event.sequence}`.padEnd(sequenceWidth);
      return `${sequence} ${event.timestamp}  ${event.event_type.padEnd(width)}  ${fields(event.payload)}`.trimEnd();
    })
    .join('\n');
}

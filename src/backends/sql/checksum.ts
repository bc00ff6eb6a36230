// The checksum every stored event row carries, on both SQL backends (docs/contract.md, WF-DUR-2).
//
//   content  = hex SHA-256 of UTF-8( event_type "\n" timestamp "\n" payload )
//   checksum = first 16 hex of SHA-256 of UTF-8( run_id "\n" sequence "\n" content )
//
// `timestamp` is the ISO text the store returns, `payload` the JSON text as stored (exactly JSON.stringify,
// which escapes NUL and lone surrogates, so the text is well-formed and its UTF-8 is unambiguous), `sequence`
// in decimal. run_id, event_type and timestamp cannot hold "\n", and the payload comes last: no two rows
// share an input. Two levels because PostgreSQL numbers an event inside its one append statement: the client
// hashes what it knows (the payload: the costly part) and the statement seals it with the run and sequence
// (`postgresChecksumSql`, the same function in SQL). SQLite computes both levels here.
//
// 64 bits catch any accidental change (a flipped byte, a torn or moved row) but are no signature: whoever
// can write the table can write a matching checksum.

import crypto from 'node:crypto';

/**
 * The hex SHA-256 of UTF-8 text. Node's one-shot `crypto.hash` (Node 20.12 and later) costs half of a
 * `createHash` object on a row of a few hundred bytes (1 µs against 2.5 µs, measured); older Node 20 falls back.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text)
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The hex SHA-256 of what an event says: its type, time and payload text. */
export function contentHash(event_type: string, timestamp: string, payload: string): string {
  return sha256(`${event_type}\n${timestamp}\n${payload}`);
}

/** The checksum of the event with this content at this place in this run. */
export function sealChecksum(run_id: string, sequence: number, content: string): string {
  return sha256(`${run_id}\n${sequence}\n${content}`).slice(0, 16);
}

/** An event row as both backends read it back: every column as text, the sequence as a number. */
export interface StoredEventRow {
  run_id: string;
  sequence: number;
  event_type: string;
  timestamp: string;
  payload: string;
  checksum: string;
}

/** The checksum a row's content gives (what it must hold). */
export function eventChecksum(row: Omit<StoredEventRow, 'checksum'>): string {
  return sealChecksum(row.run_id, row.sequence, contentHash(row.event_type, row.timestamp, row.payload));
}

/** Why a row fails its check (a column of the wrong kind, a checksum that does not match), or undefined. */
export function rowProblem(row: StoredEventRow): string | undefined {
  for (const column of ['run_id', 'event_type', 'timestamp', 'payload', 'checksum'] as const) {
    if (typeof row[column] !== 'string') return `${column} is not text`;
  }
  if (!Number.isSafeInteger(row.sequence)) return 'sequence is not an integer';
  return checksumProblem(row.checksum, eventChecksum(row));
}

/** The words for a stored checksum that is not the one the content gives; undefined when they match. */
export function checksumProblem(stored: string, expected: string): string | undefined {
  if (stored === expected) return undefined;
  if (stored === '') return 'the row has no checksum';
  return `checksum mismatch: the row holds ${stored}, its content gives ${expected}`;
}

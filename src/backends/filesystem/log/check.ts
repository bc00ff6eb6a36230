// Checking events.jsonl: each complete line must pass its checksum and hold this run's id and the next
// sequence (line k holds sequence k). Only the head of a line is looked at besides its checksum (and, at the
// log's tail, its end); nothing is parsed but an update's commit line. Damage is thrown as RunDamage, naming
// the file and line; the driver reports it as STORE_CORRUPTED.
//
// An update's events (log/line-format.ts): the lines before its commit line each name it ("committed_by");
// they must follow one another up to it, and it must carry the update. At the log's tail (`tail`), events of an
// update whose commit line is not complete are not committed: like a torn last line, they are no part of the
// log (a crash mid-write, or an update still being written by another process), and the next write cuts them off.

import { storeCorrupted } from '../../../contract/errors.js';
import { checksumProblem } from '../files/checksum.js';
import { EVENTS_PER_UPDATE_MAX } from '../../../contract/limits.js';
import { committedByOf, LINE_END, type LoggedUpdate, updateOf } from './line-format.js';
import { SEAL_FILE, type Seal } from './seal.js';

/** Stored data of a run that fails its checks: where (file and line) and what. */
export class RunDamage extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'RunDamage';
  }

  /** The contract's error for it (WF-DUR-2). */
  toError(runId: string): Error {
    return storeCorrupted(runId, this.where, this.problem, this);
  }
}

export const EVENTS_FILE = 'events.jsonl';
export const lineOf = (sequence: number): string => `${EVENTS_FILE} line ${sequence}`;

export interface Scan {
  /** File offset just past the last complete (and, at the tail, committed) line; bytes after it are a torn write. */
  end: number;
  /** The sequence of that line (the one before the first line checked when there is none). */
  lastSequence: number;
  /** The file offset where each line after `keepStartsAfter` starts, by sequence. */
  starts: Map<number, number>;
}

export interface ScanOptions {
  /** The file offset of `bytes[0]`. */
  offset?: number;
  /** The sequence the first line must hold. */
  firstSequence?: number;
  /** Lines after this sequence have their start recorded. */
  keepStartsAfter?: number;
  /**
   * The bytes run to the log's end, from a line that is no update's event before its commit line: the
   * updates' events are checked, and those of an update not committed yet left out.
   */
  tail?: boolean;
}

const ASCII_ZERO = 0x30;
const COMMA = 0x2c;

/**
 * Checks the complete lines of `bytes` (part of the log, from a line's start). Throws RunDamage at the first
 * line that fails.
 */
export function scanLines(runId: string, bytes: Buffer, options: ScanOptions = {}): Scan {
  const { offset = 0, firstSequence = 1, keepStartsAfter = Number.MAX_SAFE_INTEGER } = options;
  const head = headOf(runId);
  const group = options.tail === true ? new UpdateGroup(bytes) : undefined;
  const starts = new Map<number, number>();
  let sequence = firstSequence - 1;
  let position = 0;
  for (;;) {
    const newline = bytes.indexOf(LINE_END, position);
    if (newline < 0) break;
    sequence++;
    const problem =
      checksumProblem(bytes, position, newline) ??
      headProblem(bytes, position, newline, head, sequence) ??
      group?.problem(position, newline, sequence);
    if (problem !== undefined) throw new RunDamage(lineOf(sequence), problem);
    if (sequence > keepStartsAfter) starts.set(sequence, offset + position);
    position = newline + 1;
  }
  if (group === undefined || group.commit === 0) return { end: offset + position, lastSequence: sequence, starts };
  // An update's events without their commit line: not committed.
  for (let s = group.first; s <= sequence; s++) starts.delete(s);
  return { end: offset + group.start, lastSequence: group.first - 1, starts };
}

/** The events of an update being read, before its commit line. */
class UpdateGroup {
  /** The commit line's sequence; 0 when the lines read so far are no update's uncommitted events. */
  commit = 0;
  /** The first of those events: its sequence and where it starts in the bytes. */
  first = 0;
  start = 0;

  constructor(private readonly bytes: Buffer) {}

  /** Why line `sequence`, at [start, newline), does not fit the updates' events around it, or undefined. */
  problem(start: number, newline: number, sequence: number): string | undefined {
    const committedBy = committedByOf(this.bytes, start, newline);
    if (this.commit === 0) {
      if (committedBy === 0) return undefined;
      if (committedBy <= sequence || committedBy - sequence >= EVENTS_PER_UPDATE_MAX)
        return `it names line ${committedBy} as its update's commit, which cannot be`;
      this.commit = committedBy;
      this.first = sequence;
      this.start = start;
      return undefined;
    }
    const events = `the events of the update that line ${this.commit} commits (from line ${this.first})`;
    if (sequence < this.commit) return committedBy === this.commit ? undefined : `it breaks ${events}`;
    this.commit = 0;
    if (committedBy !== 0) return `it names line ${committedBy} as its commit but should commit ${events}`;
    const line = this.bytes.toString('utf8', start, newline);
    return updateOf(line) === undefined ? `it is no update's commit, yet ${events} name it` : undefined;
  }
}

/** How every line of the run's log begins. */
const headOf = (runId: string) => Buffer.from(`{"run_id":${JSON.stringify(runId)},"sequence":`, 'utf8');

/**
 * A check of single lines of a run's log, for reads that go straight to the lines they need: why the line
 * `bytes[start, newline)` is not event `sequence` of the run (checksum, run id, sequence), or undefined.
 */
export function lineChecker(
  runId: string,
): (bytes: Buffer, start: number, newline: number, sequence: number) => string | undefined {
  const head = headOf(runId);
  return (bytes, start, newline, sequence) =>
    checksumProblem(bytes, start, newline) ?? headProblem(bytes, start, newline, head, sequence);
}

/** Why the line at `start` does not begin with this run's id and `sequence`, or undefined. */
function headProblem(bytes: Buffer, start: number, end: number, head: Buffer, sequence: number): string | undefined {
  if (end - start < head.length) return 'it is not an event line of this run';
  // Byte by byte: Buffer.compare with offsets costs more on a head this short, once per line read.
  for (let i = 0; i < head.length; i++) if (bytes[start + i] !== head[i]) return 'it is not an event line of this run';
  let value = 0;
  let position = start + head.length;
  for (; position < end && bytes[position] !== COMMA; position++) {
    const digit = bytes[position]! - ASCII_ZERO;
    if (digit < 0 || digit > 9 || value > Number.MAX_SAFE_INTEGER / 10) return 'its sequence is not a number';
    value = value * 10 + digit;
  }
  return value === sequence ? undefined : `it holds sequence ${value} where sequence ${sequence} belongs`;
}

/**
 * Checks a log against its seal: the log must reach the sealed event, and that event must end where the seal
 * says. `starts` (the start of each line, by sequence) makes the second check exact when the sealed line is
 * not the last one.
 */
export function checkAgainstSeal(seal: Seal, log: Scan): void {
  const { last_sequence: sealed, log_bytes: bytes } = seal;
  if (log.lastSequence < sealed) {
    const held = log.lastSequence === 0 ? 'holds no complete line' : `ends after line ${log.lastSequence}`;
    throw new RunDamage(
      `${EVENTS_FILE} line ${log.lastSequence + 1}`,
      `the log ${held} (${log.end} bytes) but ${SEAL_FILE} records ${sealed} events (${bytes} bytes): it lost its tail`,
    );
  }
  const sealedEnd = log.lastSequence === sealed ? log.end : log.starts.get(sealed + 1);
  if (sealedEnd !== undefined && sealedEnd !== bytes) {
    throw new RunDamage(
      `${EVENTS_FILE} line ${sealed}`,
      `event ${sealed} ends at byte ${sealedEnd} but ${SEAL_FILE} records ${bytes}: the log was rewritten`,
    );
  }
}

/** An update's event line that run.json may not hold yet: it lies beyond the seal (see run-state.ts). */
export interface PendingUpdate {
  sequence: number;
  update: LoggedUpdate;
  /** The event's timestamp: the update's updated_at. */
  timestamp: string;
}

export interface CheckedLog {
  /** File offset just past the last complete line. */
  end: number;
  lastSequence: number;
  pending: PendingUpdate[];
}

/**
 * Checks log bytes (from a line's start at file offset `offset`, the first line holding `firstSequence`) line by
 * line and against the seal, and finds the update lines beyond the seal.
 */
export function checkLog(runId: string, bytes: Buffer, seal: Seal, offset = 0, firstSequence = 1): CheckedLog {
  const scan = scanLines(runId, bytes, { offset, firstSequence, keepStartsAfter: seal.last_sequence, tail: true });
  checkAgainstSeal(seal, scan);
  const pending: PendingUpdate[] = [];
  for (const [sequence, start] of scan.starts) {
    const line = bytes.toString('utf8', start - offset, bytes.indexOf(LINE_END, start - offset));
    // Only an update's line has the member; a payload that merely contains the text is parsed for nothing.
    const found = line.includes('"update":') ? updateOf(line) : undefined;
    if (found !== undefined) pending.push({ sequence, ...found });
  }
  return { end: scan.end, lastSequence: scan.lastSequence, pending };
}

/** The contract's error for damage, any other error unchanged. */
export function asContractError(error: unknown, runId: string): unknown {
  return error instanceof RunDamage ? error.toError(runId) : error;
}

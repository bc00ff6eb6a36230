// Reads that go through the view (view/view.ts) to the lines they need, instead of reading and checking the whole
// log. What each checks:
//   - every read: the run's tail, as every call does: the line events.seal ends at (its checksum, that it is
//     the sealed sequence and ends where the seal says) and every complete line after it; a log shorter than
//     its seal fails;
//   - a page (listWorkflowEvents): each line it returns (checksum, run id, sequence after_sequence + 1, + 2, …);
//   - the outputs (getCompletedDagNodeOutputs): each node's latest completion line it returns (checksum, run
//     id, sequence, a node_completed of that node), and every line after the view (read to find completions).
// The view is only a way to the lines: whatever it says is checked on the lines themselves. When something
// does not hold (a view of another log, a line that fails), these throw ViewMiss or RunDamage and the driver
// reads the whole log instead, which settles whether the log is damaged. Damage in a line a read neither
// returns nor reads through is found by the reads that return it, by the first write of a process to the run
// (which checks the whole log), and by `wfstore verify`.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JsonValue, WorkflowEvent } from '../../../contract/types.js';
import { isNotFound } from '../files/io.js';
import type { Layout } from '../files/layout.js';
import { checkAgainstSeal, EVENTS_FILE, lineChecker, scanLines } from './check.js';
import { completionOf, LINE_END, parseEventLine } from './line-format.js';
import { completionsIn } from '../view/node-files.js';
import { missingPart } from '../run-state.js';
import { readSeal, SEAL_FILE, type Seal } from './seal.js';
import { emptyView, STRIDE, type View, type ViewCache, type ViewNode } from '../view/view.js';

/** What the view led to does not hold: the whole log must settle it. */
export class ViewMiss extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'ViewMiss';
  }
}

interface OpenLog {
  fd: number;
  size: number;
  seal: Seal;
}

/** Bytes [start, end) of the open log (fewer when it ends first). */
export function readRange(fd: number, start: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(Math.max(0, end - start));
  let length = 0;
  for (let n = -1; n !== 0 && length < bytes.length; length += n)
    n = readSync(fd, bytes, length, bytes.length - length, start + length);
  return bytes.subarray(0, length);
}

/** Opens the run's log with its seal (read first: the seal never vouches for more than the log holds). */
function openLog(layout: Layout, runId: string): OpenLog {
  const seal = readSeal(layout.sealFile(runId));
  if (seal === null) throw missingPart(layout, runId, SEAL_FILE);
  let fd: number;
  try {
    fd = openSync(layout.eventsFile(runId), 'r');
  } catch (error) {
    if (isNotFound(error)) throw missingPart(layout, runId, EVENTS_FILE);
    throw error;
  }
  return { fd, size: fstatSync(fd).size, seal };
}

/** Where the line that ends at `end` starts (`end` is past a "\n"): looked for backwards, in growing steps. */
function lineStartBefore(fd: number, end: number): number {
  for (let step = 4096; ; step *= 4) {
    const from = Math.max(0, end - 1 - step);
    const newline = readRange(fd, from, end - 1).lastIndexOf(LINE_END);
    if (newline >= 0) return from + newline + 1;
    if (from === 0) return 0;
  }
}

interface Tail {
  /** The last complete line, and the offset just past it. */
  lastSequence: number;
  end: number;
}

/** The run's tail, checked: the sealed line and every complete line after it. */
function checkTail(runId: string, log: OpenLog): Tail {
  const { seal, size, fd } = log;
  if (size < seal.log_bytes) throw new ViewMiss(`the log is shorter than ${SEAL_FILE} records`);
  const from = seal.last_sequence === 0 ? 0 : lineStartBefore(fd, seal.log_bytes);
  const first = seal.last_sequence === 0 ? 1 : seal.last_sequence;
  const scan = scanLines(runId, readRange(fd, from, size), {
    offset: from,
    firstSequence: first,
    keepStartsAfter: seal.last_sequence,
    tail: true,
  });
  checkAgainstSeal(seal, scan);
  return { lastSequence: scan.lastSequence, end: scan.end };
}

/** The view, when it can describe this log (it never reaches past the seal); else an empty one. */
function usableView(views: ViewCache, runId: string, seal: Seal): View {
  const view = views.get(runId);
  if (view === undefined || view.log_bytes > seal.log_bytes || view.last_sequence > seal.last_sequence)
    return emptyView();
  return view;
}

export interface Page {
  events: WorkflowEvent[];
  /** The view does not cover the sealed log: it is due to be brought up to date. */
  behind: boolean;
}

/** Events after_sequence + 1 … (up to `limit`): from the view's nearest line offset, the rest of the log unread. */
export function readPage(
  layout: Layout,
  views: ViewCache,
  runId: string,
  after: number,
  limit: number | undefined,
): Page {
  const log = openLog(layout, runId);
  try {
    const tail = checkTail(runId, log);
    const view = usableView(views, runId, log.seal);
    const behind = view.log_bytes < log.seal.log_bytes;
    const count = Math.min(limit ?? Number.MAX_SAFE_INTEGER, tail.lastSequence - after);
    if (count <= 0) return { events: [], behind };
    const k = Math.min(Math.floor(after / STRIDE), view.lines.length - 1);
    const landing = k < 0 ? { line: 1, offset: 0 } : { line: k * STRIDE + 1, offset: view.lines[k]! };
    const average = view.last_sequence > 0 ? view.log_bytes / view.last_sequence : 512;
    const span = findLines(log, landing.offset, after + 1 - landing.line, count, average);
    const check = scanLines(runId, span.bytes, { offset: span.offset, firstSequence: after + 1 });
    if (check.lastSequence !== after + count) throw new ViewMiss('the page does not hold the lines it should');
    const events: WorkflowEvent[] = [];
    for (let position = 0; position < span.bytes.length; ) {
      const newline = span.bytes.indexOf(LINE_END, position);
      events.push(parseEventLine(span.bytes.toString('utf8', position, newline)));
      position = newline + 1;
    }
    return { events, behind };
  } finally {
    closeSync(log.fd);
  }
}

/** The offset past the `n`th "\n" from `position`, or -1 when `bytes` holds fewer. */
function afterLines(bytes: Buffer, position: number, n: number): number {
  let at = position;
  for (let k = 0; k < n && at >= 0; k++) {
    const newline = bytes.indexOf(LINE_END, at);
    at = newline < 0 ? -1 : newline + 1;
  }
  return at;
}

/**
 * The `count` complete lines after the first `skip` lines from `offset` (a line's start: the byte before it is
 * a "\n"), read in one piece sized from the average line, larger when that was short.
 */
function findLines(log: OpenLog, offset: number, skip: number, count: number, average: number) {
  const before = offset > 0 ? 1 : 0;
  for (let want = Math.ceil((skip + count + 1) * average * 1.25) + 4096; ; want *= 2) {
    const end = Math.min(log.size, offset + want);
    const bytes = readRange(log.fd, offset - before, end);
    if (before === 1 && bytes[0] !== LINE_END) throw new ViewMiss('a line offset of the view is not a line start');
    const first = afterLines(bytes, before, skip);
    const last = first < 0 ? -1 : afterLines(bytes, first, count);
    if (last >= 0) return { bytes: bytes.subarray(first, last), offset: offset - before + first };
    if (end >= log.size) throw new ViewMiss('the log ends before the lines the page should hold');
  }
}

export interface Outputs {
  outputs: Map<string, JsonValue>;
  behind: boolean;
}

/** Each node's latest completion: the view's, read from their lines, and those in the log after the view. */
export function readOutputs(layout: Layout, views: ViewCache, runId: string): Outputs {
  const log = openLog(layout, runId);
  try {
    const tail = checkTail(runId, log);
    const view = usableView(views, runId, log.seal);
    const from = view.log_bytes;
    const before = from > 0 ? 1 : 0;
    const bytes = readRange(log.fd, from - before, tail.end);
    if (before === 1 && bytes[0] !== LINE_END) throw new ViewMiss('the view does not end at a line of the log');
    const recent = bytes.subarray(before);
    const scan = scanLines(runId, recent, { offset: from, firstSequence: view.last_sequence + 1 });
    if (scan.lastSequence !== tail.lastSequence) throw new ViewMiss('the view does not end where it says');
    const latest = completionsIn(recent);
    const older = [...view.nodes].filter(([nodeId]) => !latest.has(nodeId));
    const all = [...readCompletions(log.fd, runId, older), ...latest];
    const outputs = new Map(all.sort((a, b) => a[1].sequence - b[1].sequence).map(([id, n]) => [id, n.output]));
    return { outputs, behind: from < log.seal.log_bytes };
  } finally {
    closeSync(log.fd);
  }
}

/** Lines apart by less than this are read in one piece. */
const GAP = 16 * 1024;

/**
 * The completions the view points at, read from the log and checked: the line starts after a "\n", passes its
 * checksum, holds the sequence, and is a node_completed of that node.
 */
export function readCompletions(
  fd: number,
  runId: string,
  nodes: readonly [string, ViewNode][],
): [string, { sequence: number; output: JsonValue }][] {
  const check = lineChecker(runId);
  const sorted = [...nodes].sort((a, b) => a[1].offset - b[1].offset);
  const found: [string, { sequence: number; output: JsonValue }][] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j]![1].offset - end(sorted[j - 1]![1]) < GAP) j++;
    const from = Math.max(0, sorted[i]![1].offset - 1);
    const bytes = readRange(fd, from, end(sorted[j - 1]![1]));
    for (const [nodeId, node] of sorted.slice(i, j)) {
      const start = node.offset - from;
      const newline = start + node.length - 1;
      const problem =
        (node.offset > 0 && bytes[start - 1] !== LINE_END) || bytes[newline] !== LINE_END
          ? 'it is not a whole line'
          : check(bytes, start, newline, node.sequence);
      const completion = problem === undefined ? completionOf(bytes.toString('utf8', start, newline)) : undefined;
      if (completion?.node_id !== nodeId) throw new ViewMiss(`the view's completion of "${nodeId}": ${problem}`);
      found.push([nodeId, { sequence: node.sequence, output: completion.output }]);
    }
    i = j;
  }
  return found;
}

const end = (node: ViewNode) => node.offset + node.length;

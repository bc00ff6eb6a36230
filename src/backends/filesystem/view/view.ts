// nodes/.view.json: the view of a run's log, an index that spares reads the whole log. It is derived from the
// log, never the truth: written without fsync, rebuilt from the log when missing, damaged or behind, and every
// line a read finds through it is checked (checksum, run id and sequence) before it is used. One record:
//   {"log_bytes":B,"last_sequence":S,"stride":100,"lines":[o1,o101,…],"nodes":[[id,seq,offset,length],…],"crc":…}
// It describes the log up to byte B (the end of line S): lines[k] is the file offset of line k*stride+1; each
// node's latest completion in that part of the log is [node id, sequence, offset, length (its "\n" included)].
// The node files (nodes/{nodeId}.json) hold those completions' outputs: the view is written after them, so it
// also records how far they are known to reflect the log.

import { readFileSync, statSync } from 'node:fs';
import { checksumProblem, sealed } from '../files/checksum.js';
import { isNotFound } from '../files/io.js';
import type { Layout } from '../files/layout.js';

/** Lines between two offsets of the view: a page read skips at most this many lines unchecked. */
export const STRIDE = 100;

export interface ViewNode {
  sequence: number;
  /** Where the completion's line starts, and its length with its "\n". */
  offset: number;
  length: number;
}

export interface View {
  log_bytes: number;
  last_sequence: number;
  lines: number[];
  nodes: Map<string, ViewNode>;
}

export const emptyView = (): View => ({ log_bytes: 0, last_sequence: 0, lines: [], nodes: new Map() });

export function viewText(view: View): Buffer {
  const nodes = [...view.nodes].map(([id, n]) => [id, n.sequence, n.offset, n.length]);
  const text =
    `{"log_bytes":${view.log_bytes},"last_sequence":${view.last_sequence},"stride":${STRIDE},` +
    `"lines":${JSON.stringify(view.lines)},"nodes":${JSON.stringify(nodes)}`;
  return sealed(text).record;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isNodeEntry(entry: unknown): entry is [string, number, number, number] {
  return (
    Array.isArray(entry) &&
    entry.length === 4 &&
    typeof entry[0] === 'string' &&
    entry[1] >= 1 &&
    [entry[1], entry[2], entry[3]].every(isCount)
  );
}

/** The view a record holds, or undefined when it is not a whole, valid view of this format. */
export function parseView(bytes: Buffer): View | undefined {
  if (checksumProblem(bytes, 0, bytes.length) !== undefined) return undefined;
  let record: { log_bytes?: unknown; last_sequence?: unknown; stride?: unknown; lines?: unknown; nodes?: unknown };
  try {
    record = JSON.parse(bytes.toString('utf8')) as typeof record;
  } catch {
    return undefined;
  }
  const { log_bytes, last_sequence, stride, lines, nodes } = record;
  const valid =
    isCount(log_bytes) &&
    isCount(last_sequence) &&
    stride === STRIDE &&
    Array.isArray(lines) &&
    lines.length === Math.ceil(last_sequence / STRIDE) &&
    lines.every(isCount) &&
    Array.isArray(nodes) &&
    nodes.every(isNodeEntry);
  if (!valid) return undefined;
  const map = new Map<string, ViewNode>();
  for (const [id, sequence, offset, length] of nodes) map.set(id, { sequence, offset, length });
  return { log_bytes, last_sequence, lines, nodes: map };
}

/** The run's view; undefined when there is none or it is damaged (a view of an older format included). */
export function readView(layout: Layout, runId: string): View | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(layout.viewFile(runId));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return parseView(bytes);
}

const CACHED_VIEWS = 64;

/**
 * Views parsed by this process, kept while their file is the same (a view is replaced whole, by a rename: a new
 * inode, a new ctime). Parsing a view of 1,000 nodes costs a fifth of a page read. A view taken for another is
 * harmless: reads check every line they use.
 */
export class ViewCache {
  private readonly views = new Map<string, { key: string; view: View | undefined }>();

  constructor(private readonly layout: Layout) {}

  get(runId: string): View | undefined {
    const file = this.layout.viewFile(runId);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    const key = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    const cached = this.views.get(runId);
    this.views.delete(runId);
    const view = cached?.key === key ? cached.view : readView(this.layout, runId);
    this.views.set(runId, { key, view });
    if (this.views.size > CACHED_VIEWS) this.views.delete(this.views.keys().next().value as string);
    return view;
  }
}

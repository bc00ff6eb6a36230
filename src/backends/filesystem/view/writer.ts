// Keeping the view (view/view.ts) in line with the log, after the appends rather than in them.
//
// Appends write the log and their node files; the view (line offsets, each node's latest completion) is
// brought up to the seal FLUSH_DELAY_MS after an append, with the appends that come meanwhile, off the event
// loop, holding the lock of the run's nodes/ directory — not the run's lock, so appends go on meanwhile. A
// flush also writes the node files a crash or a failed write left missing or older than the log. Every writer
// of the view takes that lock (this, verify, and deleteRun before it renames the run away), so two never
// interleave and none writes into a run deleted and created again. close() flushes what is pending.
//
// Between an append and its flush (or after a crash before it) the view lags behind the log: reads then check
// and parse the lines after the view (log/reads.ts), and the next flush of any process catches up from where
// the view ends. A node file an append writes while a flush runs may be overwritten by the flush with an older
// completion; the flush that the append scheduled then writes it again.

import { closeSync, promises as fs, openSync } from 'node:fs';
import { isNotFound, replaceFile } from '../files/io.js';
import type { Layout } from '../files/layout.js';
import { checkAgainstSeal, EVENTS_FILE, RunDamage, scanLines } from '../log/check.js';
import { readCompletions, readRange, ViewMiss } from '../log/reads.js';
import { completionOf, LINE_END } from '../log/line-format.js';
import { type NodeOutput, nodeFileText, readNodeFile } from './node-files.js';
import { RunLocks, RunMissing } from '../locks/run-lock.js';
import { readSeal, SEAL_FILE, type Seal } from '../log/seal.js';
import { emptyView, readView, STRIDE, type View, viewText } from './view.js';

/**
 * How long after an append its run's view is flushed: the appends meanwhile share the flush. A flush writes a
 * file, which costs about an append (file creation on ext4): once a second keeps that small beside runs that
 * append a few events a second, and a read finds at most a second of appends after the view.
 */
export const FLUSH_DELAY_MS = 1000;

interface Extended {
  view: View;
  /** The latest completion of each node completed in the lines added: their node files are rewritten. */
  outputs: Map<string, NodeOutput>;
}

/**
 * `view` extended over `part`, the log's bytes from where the view ends up to the seal, each line checked
 * (RunDamage: damage, or a view that is not of this log).
 */
export function extendView(runId: string, view: View, part: Buffer, seal: Seal): Extended {
  const from = view.log_bytes;
  const scan = scanLines(runId, part, { offset: from, firstSequence: view.last_sequence + 1, keepStartsAfter: 0 });
  checkAgainstSeal(seal, scan);
  const lines = [...view.lines];
  const nodes = new Map(view.nodes);
  const outputs = new Map<string, NodeOutput>();
  for (const [sequence, start] of scan.starts) {
    if ((sequence - 1) % STRIDE === 0) lines.push(start);
    const newline = part.indexOf(LINE_END, start - from);
    const completion = completionOf(part.toString('utf8', start - from, newline));
    if (completion === undefined) continue;
    nodes.set(completion.node_id, { sequence, offset: start, length: newline + 1 - (start - from) });
    outputs.set(completion.node_id, { sequence, output: completion.output });
  }
  return { view: { log_bytes: seal.log_bytes, last_sequence: seal.last_sequence, lines, nodes }, outputs };
}

/** `view` extended over the open log up to the seal; ViewMiss when it does not end at a line of this log. */
function extend(runId: string, fd: number, view: View, seal: Seal): Extended {
  const from = view.log_bytes;
  const before = from > 0 ? 1 : 0;
  const bytes = readRange(fd, from - before, seal.log_bytes);
  if (before === 1 && bytes[0] !== LINE_END) throw new ViewMiss('the view does not end at a line of the log');
  return extendView(runId, view, bytes.subarray(before), seal);
}

/** The node ids that have a file. */
async function nodeFiles(layout: Layout, runId: string): Promise<Set<string>> {
  const names = await fs.readdir(layout.nodesDir(runId)).catch((error: unknown) => {
    if (isNotFound(error)) return [] as string[];
    throw error;
  });
  return new Set(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -5)));
}

/**
 * What brings the view and node files up to the seal: the view extended over the lines it lacks, with the
 * node files of the completions among them and of the view's nodes that have no file. From an empty view (a
 * rebuild, every node file rewritten) when the run has none or it is not of this log. RunDamage: the log is.
 */
async function changes(layout: Layout, runId: string, fd: number, seal: Seal, rebuild: boolean) {
  const current = rebuild ? undefined : readView(layout, runId);
  const present = await nodeFiles(layout, runId);
  if (current !== undefined && current.log_bytes <= seal.log_bytes && current.last_sequence <= seal.last_sequence) {
    const missing = [...current.nodes].filter(([nodeId]) => !present.has(nodeId));
    if (current.log_bytes === seal.log_bytes && missing.length === 0) return undefined;
    try {
      const extended = extend(runId, fd, current, seal);
      const lost = missing.filter(([nodeId]) => !extended.outputs.has(nodeId));
      return { view: extended.view, files: [...extended.outputs, ...readCompletions(fd, runId, lost)] };
    } catch (error) {
      if (!(error instanceof ViewMiss || error instanceof RunDamage)) throw error;
    }
  }
  const rebuilt = extend(runId, fd, emptyView(), seal);
  return { view: rebuilt.view, files: [...rebuilt.outputs] };
}

/**
 * Brings the run's view and node files in line with its sealed log (no fsync: they are derived). The caller
 * holds the lock of the run's node files, or owns the directory (an import being assembled). With `rebuild`,
 * the view in place is not trusted (a read found it wrong). Throws RunDamage when the log is damaged (nothing
 * is written), or what a write failed with.
 */
export async function updateView(layout: Layout, runId: string, rebuild = false): Promise<void> {
  const seal = readSeal(layout.sealFile(runId));
  if (seal === null) throw new RunDamage(SEAL_FILE, 'it is missing');
  let fd: number;
  try {
    fd = openSync(layout.eventsFile(runId), 'r');
  } catch (error) {
    throw isNotFound(error) ? new RunDamage(EVENTS_FILE, 'it is missing') : error;
  }
  try {
    const due = await changes(layout, runId, fd, seal, rebuild);
    if (due === undefined) return;
    for (const [nodeId, { sequence, output }] of due.files) {
      // Appends write their node files: a file missing or older is one a crash or a failed write left behind.
      // One newer is an append's after the seal this flush read, and stays.
      if ((readNodeFile(layout, runId, nodeId)?.sequence ?? 0) >= sequence) continue;
      const text = nodeFileText(nodeId, sequence, JSON.stringify(output));
      await replaceFile(layout.nodeFile(runId, nodeId), text, false, true);
    }
    await replaceFile(layout.viewFile(runId), viewText(due.view), false, true);
  } finally {
    closeSync(fd);
  }
}

/** The flushes of one store: at most one pending and one under way per run. */
export class ViewWriter {
  private readonly locks: RunLocks;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly flushing = new Map<string, Promise<void>>();
  /** Runs whose view a read found wrong: rebuilt whole. */
  private readonly rebuild = new Set<string>();
  private closed = false;

  constructor(
    private readonly layout: Layout,
    private readonly delayMs = FLUSH_DELAY_MS,
  ) {
    this.locks = new RunLocks((runId) => layout.nodesDir(runId));
  }

  /** The run's log grew past its view, or (`rebuild`) the view is wrong: flush it soon, with what else comes. */
  schedule(runId: string, rebuild = false): void {
    if (rebuild) this.rebuild.add(runId);
    if (this.closed || this.timers.has(runId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(runId);
      void this.flush(runId);
    }, this.delayMs);
    // A process may end without close(): the view is then brought up to date by the next flush of any process.
    timer.unref();
    this.timers.set(runId, timer);
  }

  /** Brings the run's view up to date now, after the flush of it under way. Never fails: the view can wait. */
  flush(runId: string): Promise<void> {
    const previous = this.flushing.get(runId) ?? Promise.resolve();
    const mine = previous
      .then(async () => {
        // A nodes/ directory removed by hand is made again; a run deleted meanwhile has none to lock (RunMissing).
        await fs.mkdir(this.layout.nodesDir(runId)).catch(() => {});
        const rebuild = this.rebuild.delete(runId);
        await this.locks.withLock(runId, () => updateView(this.layout, runId, rebuild));
      })
      .catch(() => {});
    this.flushing.set(runId, mine);
    void mine.then(() => {
      if (this.flushing.get(runId) === mine) this.flushing.delete(runId);
    });
    return mine;
  }

  /** Runs `body` holding the lock of the run's node files; without it when the run has no nodes/ directory. */
  async exclusive<T>(runId: string, body: () => Promise<T>): Promise<T> {
    let locked = false;
    try {
      return await this.locks.withLock(runId, () => {
        locked = true;
        return body();
      });
    } catch (error) {
      if (locked || !(error instanceof RunMissing)) throw error;
    }
    return body();
  }

  /** A run about to be deleted: its pending flush is dropped, the one under way waited for. */
  async forget(runId: string): Promise<void> {
    clearTimeout(this.timers.get(runId));
    this.timers.delete(runId);
    await this.flushing.get(runId);
  }

  /** Flushes every pending run, and waits for the flushes under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [runId, timer] of this.timers) {
      clearTimeout(timer);
      void this.flush(runId);
    }
    this.timers.clear();
    await Promise.all([...this.flushing.values()]);
    await this.locks.close();
  }
}

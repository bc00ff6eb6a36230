// Open events.jsonl and events.seal handles, one pair per recently written run, with where the log ends and its
// last sequence. Used only under the run lock, by every write. The first write of this process to a run checks
// its whole log (each line, and the log against its seal); later writes stat the log: when its size and mtime
// are those this process left, nothing is read; when it grew (another process appended), the new lines are
// checked; otherwise (it shrank, or changed in place) the whole log is checked again. A different inode (the
// run was deleted and created again, maybe by another process) reopens the files.

import { promises as fs, fstatSync, statSync } from 'node:fs';
import { isNotFound, readAt } from '../files/io.js';
import type { Layout } from '../files/layout.js';
import { type CheckedLog, checkLog, EVENTS_FILE, RunDamage } from './check.js';
import { readSealAt, SEAL_FILE, type Seal } from './seal.js';

export interface LogPosition extends CheckedLog {
  handle: fs.FileHandle;
  /** events.seal, to rewrite it in place. */
  seal: fs.FileHandle;
  /** The log's size: past `end` when it has a torn last line. */
  size: number;
  /** True when the whole log was checked (the first write of this process to the run, or after a change). */
  checkedWhole: boolean;
}

interface Cached {
  handle: fs.FileHandle;
  seal: fs.FileHandle;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  lastSequence: number;
}

const OPEN_LOGS = 64;

async function openExisting(file: string, name: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, 'r+');
  } catch (error) {
    if (isNotFound(error)) throw new RunDamage(name, 'it is missing');
    throw error;
  }
}

export class LogFiles {
  private readonly open = new Map<string, Cached>();

  constructor(private readonly layout: Layout) {}

  /** The log checked, and where the next line goes. The run's directory must exist (its lock is held). */
  async prepare(runId: string): Promise<LogPosition> {
    // Synchronous: a stat takes microseconds, less than the thread-pool round trip of fs.promises.stat.
    let stat: { dev: number; ino: number; size: number; mtimeMs: number };
    try {
      stat = statSync(this.layout.eventsFile(runId));
    } catch (error) {
      if (isNotFound(error)) throw new RunDamage(EVENTS_FILE, 'it is missing');
      throw error;
    }
    let cached = this.open.get(runId);
    if (cached !== undefined && (cached.dev !== stat.dev || cached.ino !== stat.ino)) {
      await this.drop(runId);
      cached = undefined;
    }
    if (cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      const { handle, seal, size, lastSequence } = cached;
      return { handle, seal, end: size, size, lastSequence, pending: [], checkedWhole: false };
    }
    cached ??= await this.remember(runId);
    const grown = cached.size >= 0 && stat.size > cached.size;
    try {
      const position = await this.check(runId, cached, stat.size, grown);
      // Taken as this process's own only when nothing is left to settle (a torn tail, an update to roll forward).
      const settled = position.end === stat.size && position.pending.length === 0;
      cached.size = settled ? stat.size : -1;
      cached.mtimeMs = stat.mtimeMs;
      cached.lastSequence = position.lastSequence;
      return position;
    } catch (error) {
      await this.drop(runId);
      throw error;
    }
  }

  /** Checks the lines a grown log added, or the whole log. */
  private async check(runId: string, cached: Cached, size: number, grown: boolean): Promise<LogPosition> {
    const seal: Seal = readSealAt(cached.seal.fd);
    // A seal behind what this process checked is checked against the whole log.
    const from = grown && seal.last_sequence >= cached.lastSequence ? cached.size : 0;
    const bytes = Buffer.allocUnsafe(size - from);
    const read = await readAt(cached.handle, bytes, from);
    const log = checkLog(runId, bytes.subarray(0, read), seal, from, from === 0 ? 1 : cached.lastSequence + 1);
    return { ...log, handle: cached.handle, seal: cached.seal, size: from + read, checkedWhole: from === 0 };
  }

  /** Records where the log ends after this process wrote to it. */
  written(runId: string, handle: fs.FileHandle, lastSequence: number): void {
    const cached = this.open.get(runId);
    if (cached === undefined || cached.handle !== handle) return;
    const stat = fstatSync(handle.fd);
    cached.size = stat.size;
    cached.mtimeMs = stat.mtimeMs;
    cached.lastSequence = lastSequence;
  }

  /** Forgets a run (after a failed write, damage, or when it is deleted): its next write checks it whole. */
  async drop(runId: string): Promise<void> {
    const cached = this.open.get(runId);
    this.open.delete(runId);
    await cached?.handle.close().catch(() => {});
    await cached?.seal.close().catch(() => {});
  }

  async close(): Promise<void> {
    const all = [...this.open.keys()];
    await Promise.all(all.map((runId) => this.drop(runId)));
  }

  private async remember(runId: string): Promise<Cached> {
    const handle = await openExisting(this.layout.eventsFile(runId), EVENTS_FILE);
    const seal = await openExisting(this.layout.sealFile(runId), SEAL_FILE).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    const opened = await handle.stat();
    const cached: Cached = { handle, seal, dev: opened.dev, ino: opened.ino, size: -1, mtimeMs: -1, lastSequence: 0 };
    this.open.set(runId, cached);
    if (this.open.size > OPEN_LOGS) {
      const oldest = this.open.keys().next().value as string;
      await this.drop(oldest);
    }
    return cached;
  }
}

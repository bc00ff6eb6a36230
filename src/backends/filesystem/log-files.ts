// Open events.jsonl handles, one per recently appended run, with where the log ends and its last
// sequence. Used only under the run lock. Before each append the path is stat'ed: a different inode
// (the run was deleted and created again, maybe by another process) reopens the file, and a different
// size (another process appended) re-reads the tail; otherwise nothing is read.

import { promises as fs, statSync } from 'node:fs';
import { readLogTail } from './files.js';

export interface LogPosition {
  handle: fs.FileHandle;
  /** Byte offset where the next line goes (past the last complete line). */
  end: number;
  lastLine: string | undefined;
  /** The last sequence, when known without parsing lastLine. */
  lastSequence: number | undefined;
}

interface Cached {
  handle: fs.FileHandle;
  dev: number;
  ino: number;
  size: number;
  lastSequence: number;
}

const OPEN_LOGS = 64;

export class LogFiles {
  private readonly open = new Map<string, Cached>();

  /**
   * Where the next line goes, after cutting off any torn tail (bytes past the last complete line, left by
   * a crash mid-append). Throws ENOENT when the log does not exist.
   */
  async cutTornTailAndFindEnd(runId: string, file: string): Promise<LogPosition> {
    // Synchronous: a stat takes microseconds, less than the thread-pool round trip of fs.promises.stat.
    const stat = statSync(file);
    let cached = this.open.get(runId);
    if (cached !== undefined && (cached.dev !== stat.dev || cached.ino !== stat.ino)) {
      await this.drop(runId);
      cached = undefined;
    }
    if (cached !== undefined && cached.size === stat.size) {
      return { handle: cached.handle, end: cached.size, lastLine: undefined, lastSequence: cached.lastSequence };
    }
    if (cached === undefined) {
      const handle = await fs.open(file, 'r+');
      const opened = await handle.stat();
      cached = { handle, dev: opened.dev, ino: opened.ino, size: -1, lastSequence: 0 };
      await this.remember(runId, cached);
    }
    const size = cached.dev === stat.dev && cached.ino === stat.ino ? stat.size : (await cached.handle.stat()).size;
    const tail = await readLogTail(cached.handle, size);
    // A torn last line (a crash mid-append) is cut off before anything is appended after it.
    if (tail.end < size) await cached.handle.truncate(tail.end);
    return {
      handle: cached.handle,
      end: tail.end,
      lastLine: tail.lastLine,
      lastSequence: tail.lastLine === undefined ? 0 : undefined,
    };
  }

  /** Records where the log ends after an append that this process made. */
  appended(runId: string, end: number, lastSequence: number): void {
    const cached = this.open.get(runId);
    if (cached !== undefined) {
      cached.size = end;
      cached.lastSequence = lastSequence;
    }
  }

  /** Forgets a run (after a failed write, or when it is deleted). */
  async drop(runId: string): Promise<void> {
    const cached = this.open.get(runId);
    this.open.delete(runId);
    await cached?.handle.close().catch(() => {});
  }

  async close(): Promise<void> {
    const all = [...this.open.keys()];
    await Promise.all(all.map((runId) => this.drop(runId)));
  }

  private async remember(runId: string, cached: Cached): Promise<void> {
    this.open.set(runId, cached);
    if (this.open.size > OPEN_LOGS) {
      const oldest = this.open.keys().next().value as string;
      await this.drop(oldest);
    }
  }
}

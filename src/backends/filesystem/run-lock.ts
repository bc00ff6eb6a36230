// A lock per run. Callers in this process queue in memory; the one at the head takes an flock(2) on
// {artifactsDir}/.locks/{runId}, which other processes respect. The kernel drops an flock when its
// process dies (kill -9 included), so there is no stale lock to wait out or to guess about.
// Lock files are never deleted: removing one while another process holds it open would let two
// processes lock different files of the same name.

import fsExt from './fs-ext.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface RunLockOptions {
  /** Directory holding one lock file per run. */
  directory: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tryLock(fd: number): boolean {
  try {
    fsExt.flockSync(fd, 'exnb');
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return false;
    throw error;
  }
}

/** Lock files kept open, most recently used last; closing one also drops its flock. */
const OPEN_LOCK_FILES = 64;

export class RunLocks {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly handles = new Map<string, fs.FileHandle>();

  constructor(private readonly options: RunLockOptions) {}

  private async handleFor(runId: string): Promise<fs.FileHandle> {
    let handle = this.handles.get(runId);
    if (handle !== undefined) {
      this.handles.delete(runId);
    } else {
      handle = await fs.open(path.join(this.options.directory, runId), 'a');
      if (this.handles.size >= OPEN_LOCK_FILES) {
        const [oldest, old] = this.handles.entries().next().value as [string, fs.FileHandle];
        // Only an idle run's file is closed: a queued run re-opens its own when its turn comes.
        if (!this.queues.has(oldest)) {
          this.handles.delete(oldest);
          await old.close();
        }
      }
    }
    this.handles.set(runId, handle);
    return handle;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.close()));
  }

  async withLock<T>(runId: string, body: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => finished);
    this.queues.set(runId, mine);
    await previous;
    try {
      const handle = await this.handleFor(runId);
      // Non-blocking attempts with a growing pause: a blocking flock would hold a libuv thread.
      for (let wait = 0.5; !tryLock(handle.fd); wait = Math.min(wait * 1.5, 20))
        await sleep(wait * (0.5 + Math.random()));
      try {
        return await body();
      } finally {
        fsExt.flockSync(handle.fd, 'un');
      }
    } finally {
      done();
      if (this.queues.get(runId) === mine) this.queues.delete(runId);
    }
  }
}

// A lock per run. Callers in this process queue in memory; the one at the head takes an flock(2) on the
// run's own directory ({artifactsDir}/{runId}), which other processes respect. The kernel drops an flock
// when its process dies (kill -9 included), so there is no stale lock to wait out or to guess about.
//
// Locking the directory itself means there is no lock file: a run that does not exist cannot be locked
// (RunMissing, and nothing is created), and a deleted run takes its lock with it. A deleted run's directory
// is renamed away under its lock, so whoever was waiting on it finds, once the lock is theirs, that the path
// no longer names the directory they locked: it tries again on whatever the path names now.

import fsExt from '../files/fs-ext.js';
import { promises as fs, statSync } from 'node:fs';
import { isNotFound } from '../files/io.js';

/** The run's directory does not exist (or is not a directory): the run is unknown. */
export class RunMissing extends Error {
  constructor(readonly runId: string) {
    super(`workflow run "${runId}" does not exist`);
    this.name = 'RunMissing';
  }
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

interface Held {
  handle: fs.FileHandle;
  dev: number;
  ino: number;
}

/** Directory handles kept open, most recently used last; closing one also drops its flock. */
const OPEN_DIRECTORIES = 64;

export class RunLocks {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly handles = new Map<string, Held>();

  constructor(private readonly runDir: (runId: string) => string) {}

  private async open(runId: string): Promise<Held> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.runDir(runId), 'r');
    } catch (error) {
      if (isNotFound(error)) throw new RunMissing(runId);
      throw error;
    }
    const stat = await handle.stat();
    if (!stat.isDirectory()) {
      await handle.close();
      throw new RunMissing(runId);
    }
    return { handle, dev: stat.dev, ino: stat.ino };
  }

  private async handleFor(runId: string): Promise<Held> {
    let held = this.handles.get(runId);
    if (held !== undefined) {
      this.handles.delete(runId);
    } else {
      held = await this.open(runId);
      if (this.handles.size >= OPEN_DIRECTORIES) {
        const [oldest, old] = this.handles.entries().next().value as [string, Held];
        // Only an idle run's directory is closed: a queued run re-opens its own when its turn comes.
        if (!this.queues.has(oldest)) {
          this.handles.delete(oldest);
          await old.handle.close();
        }
      }
    }
    this.handles.set(runId, held);
    return held;
  }

  /** Forgets the handle of a run whose directory is gone or replaced. */
  private async forget(runId: string, held: Held): Promise<void> {
    if (this.handles.get(runId) === held) this.handles.delete(runId);
    await held.handle.close().catch(() => {});
  }

  async close(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map((h) => h.handle.close()));
  }

  /** Locks the run's directory, waiting for it: true once locked, false when the path names another one. */
  private async acquire(runId: string, held: Held): Promise<boolean> {
    // Non-blocking attempts with a growing pause: a blocking flock would hold a libuv thread.
    for (let wait = 0.5; !tryLock(held.handle.fd); wait = Math.min(wait * 1.5, 20))
      await sleep(wait * (0.5 + Math.random()));
    let now: { dev: number; ino: number } | undefined;
    try {
      now = statSync(this.runDir(runId));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (now?.dev === held.dev && now.ino === held.ino) return true;
    fsExt.flockSync(held.handle.fd, 'un');
    await this.forget(runId, held);
    if (now === undefined) throw new RunMissing(runId);
    return false;
  }

  /** Runs `body` holding the run's lock; RunMissing (and nothing written) when the run does not exist. */
  async withLock<T>(runId: string, body: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => finished);
    this.queues.set(runId, mine);
    await previous;
    try {
      let held = await this.handleFor(runId);
      while (!(await this.acquire(runId, held))) held = await this.handleFor(runId);
      try {
        return await body();
      } finally {
        // The handle of a run that `body` deleted is forgotten when it is next locked (acquire).
        fsExt.flockSync(held.handle.fd, 'un');
      }
    } finally {
      done();
      if (this.queues.get(runId) === mine) this.queues.delete(runId);
    }
  }
}

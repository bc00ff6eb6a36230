// A lock per run. Callers in this process queue in memory; the one at the head takes an flock(2) on the
// run's own directory ({artifactsDir}/{runId}), which other processes respect. The kernel drops an flock
// when its process dies (kill -9 included), so there is no stale lock to wait out or to guess about.
//
// Locking the directory itself means there is no lock file: a run that does not exist cannot be locked
// (RunMissing, and nothing is created), and a deleted run takes its lock with it. A deleted run's directory
// is renamed away under its lock, so whoever was waiting on it finds, once the lock is theirs, that the path
// no longer names the directory they locked: it tries again on whatever the path names now.
//
// Fairness across processes: flock(2) keeps no queue, and a blocking flock would hold a libuv thread, so a
// waiter in another process polls. Two things keep a busy writer from starving it: the polls come at most
// MAX_POLL_MS apart, and a process that has held a run's lock through back-to-back handoffs for
// HOLD_BEFORE_YIELD_MS lets it go for YIELD_MS before taking it again, a gap a poller lands in. The longest
// wait is measured (takeLongestRunLockWait) so a soak can check that no wait comes near a second.

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

/** The longest pause between two attempts to take a run's lock held by another process. */
const MAX_POLL_MS = 2;
/** Holding a run's lock this long through back-to-back handoffs in this process, it is let go … */
const HOLD_BEFORE_YIELD_MS = 50;
/** … for this long (more than MAX_POLL_MS plus a timer's lateness) before this process takes it again. */
const YIELD_MS = 3;

let longestWaitMs = 0;

/** The longest wait for a run's lock held by another process since the last call, in ms (this process). */
export function takeLongestRunLockWait(): number {
  const longest = longestWaitMs;
  longestWaitMs = 0;
  return longest;
}

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
  /** When this process's current streak of back-to-back holds of a run's lock began (performance.now()). */
  private readonly streaks = new Map<string, number>();

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
    // Non-blocking attempts with a growing, bounded pause: a blocking flock would hold a libuv thread.
    if (!tryLock(held.handle.fd)) {
      const started = performance.now();
      for (let wait = 0.25; !tryLock(held.handle.fd); wait = Math.min(wait * 1.5, MAX_POLL_MS))
        await sleep(wait * (0.5 + Math.random() * 0.5));
      longestWaitMs = Math.max(longestWaitMs, performance.now() - started);
    }
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
      const streak = this.streaks.get(runId);
      if (streak === undefined) this.streaks.set(runId, performance.now());
      else if (performance.now() - streak >= HOLD_BEFORE_YIELD_MS) {
        // Back-to-back holds for a while: a gap, so that a waiter in another process gets its turn.
        await sleep(YIELD_MS);
        this.streaks.set(runId, performance.now());
      }
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
      if (this.queues.get(runId) === mine) {
        this.queues.delete(runId);
        this.streaks.delete(runId);
      }
    }
  }
}

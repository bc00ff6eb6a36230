// A lock per run: callers in this process queue in memory (no polling), and the holder of the queue
// takes a lock directory that other processes respect (proper-lockfile: atomic mkdir, stale after a crash).

import lockfile from 'proper-lockfile';
import path from 'node:path';

export interface RunLockOptions {
  /** Directory holding one lock directory per locked run. */
  directory: string;
  /** A lock not refreshed for this long belongs to a dead process and is taken over (proper-lockfile minimum: 2000). */
  staleMs: number;
}

export class RunLocks {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly options: RunLockOptions) {}

  async withLock<T>(runId: string, body: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => finished);
    this.queues.set(runId, mine);
    await previous;
    try {
      const release = await lockfile.lock(path.join(this.options.directory, runId), {
        realpath: false,
        lockfilePath: path.join(this.options.directory, runId),
        stale: this.options.staleMs,
        retries: { retries: 100_000, factor: 1.3, minTimeout: 1, maxTimeout: 40, randomize: true },
        // A lock held past `staleMs` (a frozen process) may have been taken over; the work under it
        // has already finished or failed on its own, so there is nothing to abort here.
        onCompromised: () => {},
      });
      try {
        return await body();
      } finally {
        await release().catch(() => {});
      }
    } finally {
      done();
      if (this.queues.get(runId) === mine) this.queues.delete(runId);
    }
  }
}

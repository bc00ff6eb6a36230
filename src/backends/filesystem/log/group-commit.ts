// Appends to one run that arrive while the run's lock is busy are written together: one write and one
// fsync for the whole batch, each call answered once its line is durable. A lone writer pays one fsync
// per append; concurrent writers share them. An append the batch refuses (its conditions do not hold) is
// answered with its error; the others are written.

import type { RunLocks } from '../locks/run-lock.js';

/** An item a batch did not write, and the error its caller gets. */
export class Refused {
  constructor(readonly error: unknown) {}
}

interface Waiting<T> {
  item: T;
  resolve: (sequence: number) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private readonly waiting = new Map<string, Waiting<T>[]>();

  constructor(
    private readonly locks: RunLocks,
    /** Writes the batch under the run lock and returns each item's sequence (or refusal), in order. */
    private readonly flush: (runId: string, items: readonly T[]) => Promise<(number | Refused)[]>,
  ) {}

  append(runId: string, item: T): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let queue = this.waiting.get(runId);
      if (queue === undefined) {
        queue = [];
        this.waiting.set(runId, queue);
        // Errors of the write reach each caller (write); the lock's own (an unknown run) reach them here.
        void this.locks.withLock(runId, () => this.write(runId)).catch((error: unknown) => this.fail(runId, error));
      }
      queue.push({ item, resolve, reject });
    });
  }

  /** The lock could not be taken: the batch that was waiting for it fails. */
  private fail(runId: string, error: unknown): void {
    const batch = this.waiting.get(runId) ?? [];
    this.waiting.delete(runId);
    for (const w of batch) w.reject(error);
  }

  /** Takes everything that queued up until the lock was ours. */
  private async write(runId: string): Promise<void> {
    const batch = this.waiting.get(runId) ?? [];
    this.waiting.delete(runId);
    try {
      const results = await this.flush(
        runId,
        batch.map((w) => w.item),
      );
      for (const [i, w] of batch.entries()) {
        const result = results[i]!;
        if (result instanceof Refused) w.reject(result.error);
        else w.resolve(result);
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}

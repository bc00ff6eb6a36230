// Group commit for SQLite. better-sqlite3 is synchronous, so a commit (and its fsync at synchronous=FULL)
// holds the thread: writes from callers that run concurrently in this process would each pay one. Instead a
// write is queued and the queue is written once the microtasks queued before it have run, in one BEGIN
// IMMEDIATE transaction — one commit, one fsync — each write in its own savepoint. So:
//   - a call resolves only after the transaction holding its write has committed;
//   - a write that throws (an unknown run, a refused transition, damage) rolls back its savepoint alone and
//     fails its own call; the others commit;
//   - if the commit itself fails (disk full, the lock not obtained within busy_timeout), nothing of the batch
//     is written and every call in it fails with that error.
// A lone writer waits for the microtasks already queued, and a batch of one takes no savepoint: 37 → 38-41 µs
// per lone append at synchronous=NORMAL (a turn of the event loop, setImmediate, and the savepoint cost 44).
// Across processes nothing changes: each batch takes the database's write lock up front, waiting for it in
// SQLite's busy handler (takeLongestSqliteLockWait measures that wait together with the commit).

import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let longestWaitMs = 0;

/**
 * The longest a batch of this process took from BEGIN IMMEDIATE to its commit since the last call, in ms:
 * the wait for the database's write lock held by another process, plus the batch's own work and commit.
 */
export function takeLongestSqliteLockWait(): number {
  const longest = longestWaitMs;
  longestWaitMs = 0;
  return longest;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Writes per transaction: bounds how long one batch holds the write lock. */
const MAX_BATCH = 512;

export class SqliteGroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  private readonly batch: Database.Transaction<(jobs: Job[]) => Outcome[]>;
  private readonly alone: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(db: Database.Database) {
    // Nested in `batch`, a better-sqlite3 transaction function runs as a savepoint.
    const savepoint = db.transaction((work: () => unknown) => work());
    this.alone = savepoint;
    this.batch = db.transaction((jobs: Job[]) =>
      jobs.map((job): Outcome => {
        try {
          return { ok: true, value: savepoint(job.work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Runs `work` (synchronous SQLite statements) in the next batch; resolves once that batch has committed. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A microtask: callers woken by the previous batch step through their awaits in lockstep, so their next
    // writes are queued before this runs (64 runs at once still share commits: measured 31-35k appends/s,
    // as with setImmediate), and a lone writer does not wait for a turn of the event loop.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.schedule();
    if (jobs.length === 1) {
      this.flushAlone(jobs[0]!);
      return;
    }
    let outcomes: Outcome[];
    const started = performance.now();
    try {
      outcomes = this.batch.immediate(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error); // the commit failed: none of these writes is stored
      return;
    } finally {
      longestWaitMs = Math.max(longestWaitMs, performance.now() - started);
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** A batch of one needs no savepoint: its own transaction rolls back alone. */
  private flushAlone(job: Job): void {
    let value: unknown;
    const started = performance.now();
    try {
      value = this.alone.immediate(job.work);
    } catch (error) {
      job.reject(error);
      return;
    } finally {
      longestWaitMs = Math.max(longestWaitMs, performance.now() - started);
    }
    job.resolve(value);
  }
}

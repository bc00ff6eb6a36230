// Group commit for SQLite. better-sqlite3 is synchronous, so a commit (and its fsync at synchronous=FULL)
// holds the thread: writes from callers that run concurrently in this process would each pay one. Instead a
// write is queued and the queue is written on the next turn of the event loop, in one BEGIN IMMEDIATE
// transaction — one commit, one fsync — each write in its own savepoint. So:
//   - a call resolves only after the transaction holding its write has committed;
//   - a write that throws (an unknown run, a refused transition, damage) rolls back its savepoint alone and
//     fails its own call; the others commit;
//   - if the commit itself fails (disk full, the lock not obtained within busy_timeout), nothing of the batch
//     is written and every call in it fails with that error.
// A lone writer waits one event-loop turn (microseconds) before its commit, which costs far less than the
// commit. Across processes nothing changes: each batch takes the database's write lock up front.

import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Writes per transaction: bounds how long one batch holds the write lock. */
const MAX_BATCH = 512;

export class SqliteGroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  private readonly batch: Database.Transaction<(jobs: Job[]) => Outcome[]>;

  constructor(db: Database.Database) {
    // Nested in `batch`, a better-sqlite3 transaction function runs as a savepoint.
    const savepoint = db.transaction((work: () => unknown) => work());
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
    // setImmediate, not a microtask: callers woken by the previous batch queue their next writes first.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.schedule();
    let outcomes: Outcome[];
    try {
      outcomes = this.batch.immediate(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error); // the commit failed: none of these writes is stored
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}

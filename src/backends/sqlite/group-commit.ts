// Group commit for SQLite. better-sqlite3 is synchronous, so a commit (and its fsync at synchronous=FULL)
// holds the thread: writes from callers that run concurrently in this process would each pay one. Instead a
// write is queued and the queue is written once the microtasks queued before it have run, in one BEGIN
// IMMEDIATE transaction — one commit, one fsync — each write in its own savepoint. So:
//   - a call resolves only after the transaction holding its write has committed;
//   - a write that throws (an unknown run, a refused transition, damage) rolls back its savepoint alone and
//     fails its own call; the others commit;
//   - if the commit itself fails (disk full, the lock not obtained within busy_timeout), nothing of the batch
//     is written and every call in it fails with that error.
// A lone writer waits only for the microtasks already queued (not a turn of the event loop), and a batch of
// one takes no savepoint: both would cost a lone append several µs (bench/README.md).
// Across processes, each batch takes the database's write lock up front (BEGIN IMMEDIATE). SQLite's own busy
// handler is not used for that wait: it sleeps the whole thread (every call of the process stops) up to
// 100 ms at a time, and a waiter that sleeps that long loses the lock to busier processes again and again
// (5 s waits and "database is locked" in the soak, 4 processes). Instead BEGIN IMMEDIATE is tried without
// waiting, and again every MAX_POLL_MS or so from a timer (the event loop keeps running) until busy_timeout;
// and a process that has committed batches back to back for HOLD_BEFORE_YIELD_MS pauses YIELD_MS before
// the next, a gap in which a waiting process gets the lock. Reads keep SQLite's busy handler.

import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let longestWaitMs = 0;

/** The longest a batch of this process waited for the database's write lock since the last call, in ms. */
export function takeLongestSqliteLockWait(): number {
  const longest = longestWaitMs;
  longestWaitMs = 0;
  return longest;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Writes per transaction: bounds how long one batch holds the write lock. */
const MAX_BATCH = 512;
const MAX_POLL_MS = 2;
const HOLD_BEFORE_YIELD_MS = 50;
const YIELD_MS = 3;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_BUSY' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}

export class SqliteGroupCommit {
  private queue: Job[] = [];
  private scheduled = false;
  /** A timer is set for the next attempt (waiting for the lock, or yielding it). */
  private timer = false;
  /** When the wait for the write lock began (performance.now()), while it lasts. */
  private waitingSince: number | undefined;
  /** When the current streak of back-to-back batches began. */
  private streakSince: number | undefined;
  private readonly batch: Database.Transaction<(jobs: Job[]) => Outcome[]>;
  private readonly alone: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly noWait: Database.Statement;
  private readonly wait: Database.Statement;
  private readonly busyTimeoutMs: number;

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
    this.busyTimeoutMs = Number(db.pragma('busy_timeout', { simple: true }));
    this.noWait = db.prepare('PRAGMA busy_timeout = 0');
    this.wait = db.prepare(`PRAGMA busy_timeout = ${this.busyTimeoutMs}`);
  }

  /** Runs `work` (synchronous SQLite statements) in the next batch; resolves once that batch has committed. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.timer) return;
    this.scheduled = true;
    // A microtask: callers woken by the previous batch step through their awaits in lockstep, so their next
    // writes are queued before this runs (64 runs at once share commits), and a lone writer does not wait
    // for a turn of the event loop.
    queueMicrotask(() => this.flush());
  }

  private later(ms: number): void {
    this.timer = true;
    setTimeout(() => {
      this.timer = false;
      this.flush();
    }, ms);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) {
      this.streakSince = undefined;
      return;
    }
    const now = performance.now();
    if (this.streakSince !== undefined && now - this.streakSince >= HOLD_BEFORE_YIELD_MS) {
      // Batches back to back for a while: a gap for a process waiting for the lock.
      this.streakSince = undefined;
      this.later(YIELD_MS);
      return;
    }
    const jobs = this.queue.splice(0, MAX_BATCH);
    let outcomes: Outcome[];
    try {
      this.noWait.get();
      try {
        outcomes = jobs.length === 1 ? [this.runAlone(jobs[0]!)] : this.batch.immediate(jobs);
      } finally {
        this.wait.get();
      }
    } catch (error) {
      if (isBusy(error) && !this.timedOut(now)) {
        // Another process holds the write lock: nothing ran; try again shortly, these first.
        this.waitingSince ??= now;
        this.queue.unshift(...jobs);
        this.later(Math.min(MAX_POLL_MS, 0.5 + Math.random() * MAX_POLL_MS));
        return;
      }
      this.settled(now);
      for (const job of jobs) job.reject(error); // the commit failed: none of these writes is stored
      this.next();
      return;
    }
    this.settled(now);
    this.streakSince ??= now;
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
    this.next();
  }

  private next(): void {
    if (this.queue.length > 0) this.schedule();
    else this.streakSince = undefined;
  }

  private timedOut(now: number): boolean {
    return this.waitingSince !== undefined && now - this.waitingSince >= this.busyTimeoutMs;
  }

  /** The wait for the lock is over (taken, or given up): measured. */
  private settled(now: number): void {
    if (this.waitingSince !== undefined) longestWaitMs = Math.max(longestWaitMs, now - this.waitingSince);
    this.waitingSince = undefined;
  }

  /**
   * A batch of one needs no savepoint: its own transaction rolls back alone. Its own failure is its outcome;
   * a busy lock is thrown, as for a batch.
   */
  private runAlone(job: Job): Outcome {
    try {
      return { ok: true, value: this.alone.immediate(job.work) };
    } catch (error) {
      if (isBusy(error)) throw error;
      return { ok: false, error };
    }
  }
}

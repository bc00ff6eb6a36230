// Group commit for PostgreSQL appends. Each append is one autocommit statement, so K runs appending at once
// cost K round trips and K commits. Here a lone append (nothing in flight) is sent at once;
// appends that arrive while a statement is in flight wait, and go together when it is done: up to MAX_BATCH
// in one statement over arrays, one round trip, one commit. So:
//   - a call resolves only with its own row, after the statement holding it has committed;
//   - a row the statement could not append (an unknown or damaged run) fails its own call, the others commit;
//     one it could not tell about (its run deleted meanwhile, or a fenced append it did not admit) is sent again
//     alone;
//   - when the statement itself fails with an error the server reports (a constraint, a trigger, a deadlock),
//     nothing of it was committed: its appends are sent again one by one, so exactly the failing ones fail;
//   - when its outcome is unknown (no answer, the connection lost) or the server refused all work (statement
//     timeout, shutdown), every call in it fails with that error, as a lone append would.
// Numbering stays safe across processes: the statement takes its runs' counter rows in run-id order.

/** What a batch statement says of one append: its value, its error, or that it must go alone to find out. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: 'alone' };

export interface BatchSender<J, R> {
  /** One append, as one statement. */
  one(job: J): Promise<R>;
  /** Many appends in one statement, an outcome per job in order; throws when the statement fails. */
  many(jobs: J[]): Promise<BatchOutcome<R>[]>;
  /** Whether a failed batch statement surely wrote nothing and may have failed for one append alone. */
  retryAlone(error: unknown): boolean;
}

interface Waiting<J, R> {
  job: J;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/** Appends per statement: bounds the message and how long one statement holds its runs' rows. */
export const MAX_BATCH = 256;
/**
 * Statements in flight at once. Further slots are used only by full batches: with 2 cores, one statement in
 * flight took 9,500 appends/s from 64 runs, two 8,100 and three 7,300 (bench/pg-appends.ts), since statements
 * in parallel compete for the server's CPU and each carries fewer rows; but beyond MAX_BATCH waiting appends,
 * one statement at a time would leave the queue growing.
 */
export const BATCH_SLOTS = 3;

export class AppendGroup<J, R> {
  private waiting: Waiting<J, R>[] = [];
  private inFlight = 0;

  constructor(
    private readonly sender: BatchSender<J, R>,
    private readonly slots = BATCH_SLOTS,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  append(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (
      this.waiting.length > 0 &&
      (this.inFlight === 0 || (this.inFlight < this.slots && this.waiting.length >= this.maxBatch))
    ) {
      const taken = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      const free = () => {
        this.inFlight--;
        this.pump();
      };
      // After a batch, the slot is freed a turn of the event loop later: the callers it woke append again
      // first and go together, instead of the first going alone and the rest waiting a round trip for it.
      void this.send(taken).finally(taken.length === 1 ? free : () => setImmediate(free));
    }
  }

  private async send(taken: Waiting<J, R>[]): Promise<void> {
    if (taken.length === 1) return this.alone(taken[0]!);
    let outcomes: BatchOutcome<R>[];
    try {
      outcomes = await this.sender.many(taken.map((w) => w.job));
    } catch (error) {
      if (!this.sender.retryAlone(error)) {
        for (const w of taken) w.reject(error);
        return;
      }
      // In order, so that appends to one run keep the order they had in the batch.
      for (const w of taken) await this.alone(w);
      return;
    }
    const again: Waiting<J, R>[] = [];
    for (const [i, w] of taken.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok === 'alone') again.push(w);
      else if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    }
    for (const w of again) await this.alone(w);
  }

  private async alone(w: Waiting<J, R>): Promise<void> {
    try {
      w.resolve(await this.sender.one(w.job));
    } catch (error) {
      w.reject(error);
    }
  }
}

// Stores kept from one property run to the next. Opening a store costs more than most runs' calls (a new
// connection and a server process for PostgreSQL, a new file or folder for the others), so a run that passed
// hands its stores, emptied through the contract itself — every run listed and deleted (WF-RUN-4, WF-RUN-5;
// a deleted run starts from nothing when created again, WF-RUN-6) — to the next run, whose clock and ids they
// then read. A store that cannot be emptied that way is destroyed, and the next run opens a new one.
//
// A run that fails on kept stores runs again on new ones, and from then on every run (fast-check's shrinking
// included) gets new stores: a failure the calls repeat on a new store is reported, shrunk and replayed as on
// new stores. One they do not repeat is the store keeping something of a run it deleted (WF-RUN-6): that run
// passes, so the property goes on looking for an ordinary counterexample, and the failure is kept in
// `residue` for the property to report when it finds none.

import type { IWorkflowStore } from '../contract/types.js';

/** The clock and id source a kept store was opened with: each run switches them to its own. */
export class RunSources {
  private clock: () => Date = () => new Date();
  private ids: () => string = () => 'unused';
  readonly now = (): Date => this.clock();
  readonly generateId = (): string => this.ids();

  use(now: () => Date, generateId: () => string): void {
    this.clock = now;
    this.ids = generateId;
  }
}

/**
 * How a property opens, empties and destroys what one run works on (one store, or one per initializer), each
 * store opened on a RunSources of its own.
 */
export interface Keepable<T> {
  open(): Promise<T>;
  /** Deletes everything a passing run left; false when that cannot be done or checked. */
  empty(stores: T): Promise<boolean>;
  destroy(stores: T): Promise<void>;
}

/**
 * What a property reports for KeptStores.residue: the failure, the calls of that run, and why a replay needs the
 * whole property (the seed alone: every run from the first, on the same kept stores).
 */
export function residueReport(error: unknown, calls: readonly string[], replay: string): string {
  return [
    (error as Error | undefined)?.message ?? String(error),
    '',
    'These calls failed on a store that had run earlier call sequences, all of whose runs it had then deleted, and',
    'pass on a new store: the store kept something of a deleted run (WF-RUN-6). The calls of that run:',
    ...calls.map((c) => `  ${c}`),
    '',
    `${replay} (every run from the first, on the same store)`,
  ].join('\n');
}

/** Deletes every run of a store, then checks that none is listed; false on any error or leftover. */
export async function emptyStore(store: IWorkflowStore): Promise<boolean> {
  try {
    for (const run of await store.listWorkflowRuns()) {
      if (!(await store.deleteWorkflowRun(run.id))) return false;
    }
    return (await store.listWorkflowRuns()).length === 0;
  } catch {
    return false;
  }
}

/** Where a call that hung is noted (differential.ts, HangStop): such a call is not run again. */
export interface HangWatch {
  readonly hung: Error | undefined;
  note(error: unknown): void;
}

export class KeptStores<T> {
  private kept: T | undefined;
  /** Some run failed: every later run gets new stores. */
  private failed = false;
  /** The first failure on kept stores that the same calls did not repeat on new ones. */
  residue: unknown;

  /** A call that hung, opening a store included, is not run again: that would cost one more call timeout. */
  constructor(
    private readonly keepable: Keepable<T>,
    private readonly watch: HangWatch,
  ) {}

  /**
   * Runs `body` on kept stores when there are (`kept` true: it may then run twice, so it works on a clone of
   * fast-check's value, whose commands record which of them ran), else on new ones; see the file's head for a
   * failure.
   */
  async run(body: (stores: T, kept: boolean) => Promise<void>): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept === undefined) return this.onNew(body);
    try {
      await body(kept, true);
    } catch (error) {
      this.failed = true;
      await this.destroy(kept);
      if (this.watch.hung !== undefined) throw error;
      await this.onNew(body); // throws when the calls fail on new stores too
      this.residue ??= error;
      return;
    }
    await this.keep(kept);
  }

  /** Destroys the stores still kept (after the property). */
  async end(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    if (kept !== undefined) await this.destroy(kept);
  }

  private async onNew(body: (stores: T, kept: boolean) => Promise<void>): Promise<void> {
    let opened: T;
    try {
      opened = await this.keepable.open();
    } catch (error) {
      this.watch.note(error);
      throw error;
    }
    try {
      await body(opened, false);
    } catch (error) {
      this.failed = true;
      await this.destroy(opened);
      throw error;
    }
    if (this.failed) await this.destroy(opened);
    else await this.keep(opened);
  }

  private async keep(stores: T): Promise<void> {
    if (await this.keepable.empty(stores)) this.kept = stores;
    else await this.destroy(stores);
  }

  private async destroy(stores: T): Promise<void> {
    await this.keepable.destroy(stores).catch(() => {});
  }
}

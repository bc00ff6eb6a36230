// What `wfstore verify` reports for a store: every run checked, and each piece of damage found, named by
// run and place. Repair rebuilds only what is derived from the log (node files, views, temporary files),
// never events (docs/contract.md, WF-DUR-2).

export interface Damage {
  /** The run it belongs to; undefined for the store as a whole (a stray temporary file, say). */
  runId: string | undefined;
  /** Where: a file and line, a table and sequence. */
  where: string;
  /** What is wrong, in words. */
  problem: string;
  /** Derived data that `--repair` can rebuild from the log; events are never repaired. */
  repairable: boolean;
  /** Set when `--repair` rebuilt it. */
  repaired?: boolean | undefined;
}

export interface VerifyReport {
  backend: string;
  /** Where the store is, for people (never a password). */
  location: string;
  runs: number;
  events: number;
  damage: Damage[];
}

export interface VerifyOptions {
  repair: boolean;
}

// What a soak worker writes down, one JSON array per line, synchronously (a kill -9 loses nothing written):
// every write call before it is sent and once it is answered, every failed read, and its memory and
// descriptors each second. The orchestrator reads the journals once the phase is over.

import { closeSync, openSync, writeSync } from 'node:fs';

/** Milliseconds since the phase started. */
export type PhaseTime = number;

export type JournalLine =
  /** A write is sent: its op token (unique in the phase), what it is, its run. */
  | ['c', op: string, t: PhaseTime, kind: WriteKind, run: string]
  /** The write was acknowledged: how long it took; the event's sequence when it made one. */
  | ['a', op: string, t: PhaseTime, ms: number, sequence: number | null]
  /** The write failed: its code, whether its outcome is unknown, how long it took, the message. */
  | ['e', op: string, t: PhaseTime, ms: number, code: string, unknown: boolean, message: string]
  /** A read failed. */
  | ['r', run: string, t: PhaseTime, ms: number, code: string, message: string]
  /** An op whose outcome was unknown, read back after recovery: how many times its token is in the run. */
  | ['u', op: string, t: PhaseTime, found: number]
  /** A run left to be recovered (after an error, or taken over from a killed process). */
  | ['v', run: string, t: PhaseTime, status: string]
  /** A run completed. */
  | ['d', run: string, t: PhaseTime]
  /**
   * Each second: resident memory, heap, open descriptors, sockets, the longest lock wait, the longest read of
   * another process's run, and the longest delay of the process's own event loop (CPU starvation) in it.
   */
  | [
      's',
      t: PhaseTime,
      rss: number,
      heap: number,
      fds: number,
      sockets: number,
      lockWaitMs: number,
      readMs: number,
      loopLagMs: number,
    ]
  /** The process is up (its first line) or ends cleanly (its last). */
  | ['up' | 'end', t: PhaseTime];

export type WriteKind = 'create' | 'append' | 'update';

export class Journal {
  private readonly fd: number;

  constructor(
    file: string,
    private readonly phaseStart: number,
  ) {
    this.fd = openSync(file, 'a');
  }

  now(): PhaseTime {
    return Date.now() - this.phaseStart;
  }

  write(line: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** What the orchestrator tells a worker process (as JSON, its one argument). */
export interface WorkerConfig {
  backend: 'postgres' | 'sqlite' | 'filesystem';
  /** A connection string, a database file, or a directory. */
  location: string;
  worker: number;
  /** The incarnation: 0, then 1, 2, … each time the worker is restarted after a kill. */
  generation: number;
  /** Runs driven at once. */
  slots: number;
  /** Where journals and the active-run lists go. */
  dir: string;
  /** Epoch ms the phase started: journal times count from it. */
  phaseStart: number;
  /** PostgreSQL: the schema of the phase's tables. */
  schema: string;
}

export const journalFile = (dir: string, worker: number, generation: number) =>
  `${dir}/w${worker}.g${generation}.jsonl`;
export const activeFile = (dir: string, worker: number) => `${dir}/active-w${worker}.json`;

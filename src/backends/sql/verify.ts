// `verify` for both SQL backends: every run's log read whole and checked, its outputs compared with the log,
// and with `repair` the outputs rebuilt from the log (derived data); events are never changed. A backend
// supplies how to read a run in one snapshot (SqlStoreAccess); the checks are the same.

import type { Damage, VerifyOptions, VerifyReport } from '../verify.js';
import { rowProblem, type StoredEventRow } from './checksum.js';
import { eventPlace, NODE_COMPLETED, outputOf, outputPlace, payloadObject } from './integrity.js';

/** An output row as stored: the output as JSON text. */
export interface StoredOutputRow {
  node_id: string;
  sequence: number;
  output: string;
}

/** How many event rows a read brings at a time. */
export const VERIFY_BATCH = 1000;

/** One run, read in one snapshot (and, to repair, held against writers until the callback returns). */
export interface RunReader {
  /** The run's last_sequence; undefined when the run is gone (deleted since it was listed). */
  lastSequence(): Promise<number | undefined>;
  /** Up to VERIFY_BATCH event rows with a sequence above `after`, in sequence order. */
  eventsAfter(after: number): Promise<StoredEventRow[]>;
  outputs(): Promise<StoredOutputRow[]>;
  /** Replaces the run's output rows (repair only). */
  replaceOutputs(outputs: StoredOutputRow[]): Promise<void>;
}

export interface SqlStoreAccess {
  readonly backend: string;
  /** Where the store is, for people. */
  readonly location: string;
  runIds(): Promise<string[]>;
  /** Calls `check` with the run in one transaction; with `hold`, other writers of the run wait for it. */
  inRun<T>(runId: string, hold: boolean, check: (reader: RunReader) => Promise<T>): Promise<T>;
}

/** What reading one run's log found. */
class RunAudit {
  readonly damage: Damage[] = [];
  events = 0;
  /** Each node's latest completion among the intact rows: its sequence and output as JSON text. */
  readonly latest = new Map<string, StoredOutputRow>();
  private next = 1;

  constructor(
    readonly runId: string,
    readonly last: number,
  ) {}

  private found(where: string, problem: string, repairable = false): Damage {
    const damage: Damage = { runId: this.runId, where, problem, repairable };
    this.damage.push(damage);
    return damage;
  }

  /** Missing rows from `this.next` to `to` (inclusive). */
  private lost(to: number, why: string): void {
    const rows = this.next === to ? `sequence ${to} is` : `sequences ${this.next} to ${to} are`;
    this.found(eventPlace(this.next), `missing: ${rows} lost (${why})`);
  }

  row(row: StoredEventRow): void {
    this.events++;
    if (row.sequence < this.next)
      return void this.found(eventPlace(row.sequence), 'out of place: sequences start at 1');
    const gapEnd = Math.min(row.sequence - 1, this.last);
    if (gapEnd >= this.next) this.lost(gapEnd, `the next row is ${row.sequence}`);
    if (row.sequence > this.last)
      this.found(eventPlace(row.sequence), `lies beyond the run's last_sequence ${this.last}`);
    this.next = row.sequence + 1;
    const problem = rowProblem(row);
    if (problem !== undefined) return void this.found(eventPlace(row.sequence), problem);
    this.completion(row);
  }

  private completion(row: StoredEventRow): void {
    if (row.event_type !== NODE_COMPLETED) return;
    const payload = payloadObject(row.payload);
    if (payload === undefined) return void this.found(eventPlace(row.sequence), 'the payload is no JSON object');
    const node = payload.node_id;
    if (typeof node !== 'string') return void this.found(eventPlace(row.sequence), 'a completion without a node_id');
    this.latest.set(node, { node_id: node, sequence: row.sequence, output: JSON.stringify(outputOf(payload)) });
  }

  end(): void {
    if (this.next <= this.last) this.lost(this.last, `the run records last_sequence ${this.last}`);
  }

  /** The output rows against the latest completions; each difference is repairable. */
  outputs(rows: StoredOutputRow[]): Damage[] {
    const derived: Damage[] = [];
    const note = (where: string, problem: string) => derived.push(this.found(where, problem, true));
    for (const row of rows) {
      const want = this.latest.get(row.node_id);
      const place = outputPlace(row.node_id, row.sequence);
      if (want === undefined) note(place, 'the log holds no completion of this node');
      else if (want.sequence !== row.sequence) note(place, `the node's latest completion is sequence ${want.sequence}`);
      else if (want.output !== row.output) note(place, "the output differs from its event's");
    }
    const stored = new Set(rows.map((row) => row.node_id));
    for (const want of this.latest.values()) {
      if (!stored.has(want.node_id)) note(outputPlace(want.node_id, want.sequence), 'missing');
    }
    return derived;
  }
}

/** Reads one run whole; compares its outputs when its log is intact, and rebuilds them with `repair`. */
async function verifyRun(reader: RunReader, runId: string, repair: boolean): Promise<RunAudit | undefined> {
  const last = await reader.lastSequence();
  if (last === undefined) return undefined;
  const audit = new RunAudit(runId, last);
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = await reader.eventsAfter(after);
    for (const row of rows) audit.row(row);
    if (rows.length < VERIFY_BATCH) break;
    after = rows.at(-1)!.sequence;
  }
  audit.end();
  // Outputs derive from the log: against a damaged log they can be neither judged nor rebuilt.
  if (audit.damage.length > 0) return audit;
  const derived = audit.outputs(await reader.outputs());
  if (repair && derived.length > 0) {
    await reader.replaceOutputs([...audit.latest.values()].sort((a, b) => a.sequence - b.sequence));
    for (const damage of derived) damage.repaired = true;
  }
  return audit;
}

/** Checks every run of the store (docs/contract.md, WF-DUR-2). */
export async function verifySqlStore(access: SqlStoreAccess, options: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { backend: access.backend, location: access.location, runs: 0, events: 0, damage: [] };
  for (const runId of await access.runIds()) {
    const audit = await access.inRun(runId, options.repair, (reader) => verifyRun(reader, runId, options.repair));
    if (audit === undefined) continue;
    report.runs++;
    report.events += audit.events;
    report.damage.push(...audit.damage);
  }
  return report;
}

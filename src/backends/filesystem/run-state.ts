// run.json and the log together: how an update and its events are committed as one (WF-UPD-4, WF-UPD-5), and
// how a run is read without the run lock.
//
// The rule. updateWorkflowRun with events (1 to 1,000), under the run lock:
//   1. appends their lines, the last one carrying the update they make ("update": the status and metadata
//      patch; its updated_at is the events' timestamp), each before it naming that last line ("committed_by"),
//      and fsyncs the log: the last line complete is the commit. Until it is, the lines before it are no part
//      of the log (log/check.ts): a crash in the middle leaves none of the events, and the next write cuts
//      them off;
//   2. replaces run.json (temporary file, fsync, rename, fsync of the directory);
//   3. rewrites events.seal to cover the lines.
// So an update's commit line lies beyond the seal exactly until run.json holds it, and every update line the
// seal covers is in run.json. A crash between 1 and 3 leaves the line beyond the seal: the next write under the
// run lock (or a read, which then takes the lock) applies it to run.json ("rolls forward": status, metadata
// merged, updated_at = the line's timestamp; applying it twice gives the same run) and moves the seal past it.
// An update without an event first makes the seal durable (fdatasync of its 128 bytes), so that a power loss
// cannot bring back a seal that would have an older update line rolled forward over a newer run.json.
//
// Readers never see the status without its events: run.json changes only after their lines are durable. Nor
// the events without their status: a reader of the run (readRunUnlocked) reads the seal, then run.json, then
// the log's size; when the log ends where the seal says, no update was committed in between and run.json is
// the run; when it is longer, the lines beyond the seal are read, and if one of them commits an update the run
// is read again under the run lock, once that update is in run.json. Nor some of the events without the
// others: a reader of the log leaves out the events of an update whose commit line it does not find whole.

import { promises as fs, readFileSync, statSync } from 'node:fs';
import { RUN_STATUSES, type WorkflowRun } from '../../contract/types.js';
import { isNotFound, readAt } from './files/io.js';
import type { Layout } from './files/layout.js';
import { checkLog, EVENTS_FILE, type PendingUpdate, RunDamage } from './log/check.js';
import { RunMissing } from './locks/run-lock.js';
import { readSeal, SEAL_FILE, type Seal } from './log/seal.js';

export const RUN_FILE = 'run.json';

/** What a reader read does not hold together without the run lock: read again under it. */
export class Unsettled extends Error {
  constructor() {
    super('an update is being committed');
    this.name = 'Unsettled';
  }
}

export function runFileText(run: WorkflowRun): string {
  return JSON.stringify(run);
}

const isString = (value: unknown) => typeof value === 'string';

/** The run run.json holds; RunDamage when it is not this run's record. */
export function parseRunFile(text: string, runId: string): WorkflowRun {
  let run: Partial<WorkflowRun> | null;
  try {
    run = JSON.parse(text) as Partial<WorkflowRun> | null;
  } catch (error) {
    throw new RunDamage(RUN_FILE, `it is not JSON (${(error as Error).message}): truncated or overwritten`);
  }
  const valid =
    typeof run === 'object' &&
    run !== null &&
    run.id === runId &&
    (RUN_STATUSES as readonly unknown[]).includes(run.status) &&
    [run.workflow_name, run.user_message, run.created_at, run.updated_at].every(isString) &&
    typeof run.metadata === 'object' &&
    run.metadata !== null;
  if (!valid) throw new RunDamage(RUN_FILE, `it does not hold the record of run "${runId}"`);
  return run as WorkflowRun;
}

/** The run after an update recorded in the log (idempotent: applying it twice gives the same run). */
export function applyLogged(run: WorkflowRun, pending: PendingUpdate): WorkflowRun {
  const { status, metadata } = pending.update;
  return {
    ...run,
    status: status ?? run.status,
    // Spread, as applyUpdate merges: key order, and "__proto__" stays a plain own key.
    metadata: metadata === undefined ? run.metadata : { ...run.metadata, ...metadata },
    updated_at: pending.timestamp,
  };
}

function readTextSync(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * A part of a run that is missing: when none of its files exists, the run does not (RunMissing); otherwise it
 * is damage (or, without the lock, a create or delete under way: the driver reads again under the lock).
 */
export function missingPart(layout: Layout, runId: string, name: string): Error {
  return holdsRun(layout, runId) ? new RunDamage(name, 'it is missing') : new RunMissing(runId);
}

/** Whether the run's directory holds any of a run's files (one that holds none is not a run). */
export function holdsRun(layout: Layout, runId: string): boolean {
  const files = [layout.runFile(runId), layout.sealFile(runId), layout.eventsFile(runId)];
  return files.some((file) => sizeOf(file) !== null);
}

/** run.json of a run, checked; RunMissing when the run does not exist. */
export function readRunFile(layout: Layout, runId: string): WorkflowRun {
  const text = readTextSync(layout.runFile(runId));
  if (text === null) throw missingPart(layout, runId, RUN_FILE);
  return parseRunFile(text, runId);
}

/** What a reader read without the lock: the run, and whether the log goes on past its seal. */
interface Read {
  run: WorkflowRun;
  seal: Seal;
  size: number;
}

/** The seal, run.json, then the log's size (see the rule above), synchronously. */
function readParts(layout: Layout, runId: string): Read {
  const seal = readSeal(layout.sealFile(runId));
  if (seal === null) throw missingPart(layout, runId, SEAL_FILE);
  const run = readRunFile(layout, runId);
  const size = sizeOf(layout.eventsFile(runId));
  if (size === null) throw missingPart(layout, runId, EVENTS_FILE);
  if (size < seal.log_bytes) throw new RunDamage(EVENTS_FILE, `it is shorter than ${SEAL_FILE} records`);
  return { run, seal, size };
}

/**
 * The run, read without the lock and without waiting, when its log ends at its seal (no update can be beyond
 * run.json); undefined when the log goes on (readRunUnlocked settles it). A listing reads every run so.
 */
export function readSettledRun(layout: Layout, runId: string): WorkflowRun | undefined {
  const { run, seal, size } = readParts(layout, runId);
  return size === seal.log_bytes ? run : undefined;
}

/** The run, read without the lock (see the rule above); Unsettled or RunDamage: read it again under the lock. */
export async function readRunUnlocked(layout: Layout, runId: string): Promise<WorkflowRun> {
  const { run, seal, size } = readParts(layout, runId);
  if (size === seal.log_bytes) return run;
  const handle = await fs.open(layout.eventsFile(runId), 'r');
  try {
    const tail = Buffer.allocUnsafe(size - seal.log_bytes);
    const read = await readAt(handle, tail, seal.log_bytes);
    const log = checkLog(runId, tail.subarray(0, read), seal, seal.log_bytes, seal.last_sequence + 1);
    if (log.pending.length > 0) throw new Unsettled();
    return run;
  } finally {
    await handle.close();
  }
}

// Format 0 to format 1: a store written by wfstore 0.1.0, which has no format marker, brought to the format
// this backend reads (format.ts) when it is opened (format 1's lines are lines of format 2). Format 0's files, per run:
//   run.json       the run, as JSON (as format 1 has it)
//   events.jsonl   one event per line, {"run_id","sequence","event_type","timestamp","payload"}, no checksum
//   nodes/*.json   each node's latest output, no checksum; nodes/.view.json {"log_bytes","nodes":{id: seq}}
// and {artifactsDir}/.locks/, one empty lock file per run. Format 1 adds each line's checksum, events.seal and
// checksummed node files and view. For each run, under its lock and the lock of its node files: every line of
// the log is checked (a sequence out of order, or a line that is not an event of this run, stops the migration
// with StoreOpenError before the run is written to) and written again sealed; the seal is written for the whole
// log; the node files and the view are rebuilt from the log. The marker is written last, so a migration cut
// short is done again at the next open: a line already sealed is kept as it is, the rest is rewritten the same.
// A 0.1.0 process still writing to the store meanwhile is not supported: stop it before opening.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../../contract/errors.js';
import { RunLocks, RunMissing } from '../locks/run-lock.js';
import { completeLines } from '../log/line-format.js';
import { sealRecord } from '../log/seal.js';
import { parseRunFile } from '../run-state.js';
import { ViewWriter, updateView } from '../view/writer.js';
import { checksumProblem, sealed } from './checksum.js';
import { isNotFound, replaceFile } from './io.js';
import type { Layout } from './layout.js';

/** The lock files of format 0, beside the runs. */
const FORMAT_0_LOCKS = '.locks';

/** The lines of a format-0 log sealed as format 1 writes them; StoreOpenError when one is not its next event. */
function sealLog(runId: string, text: string, stop: (problem: string) => StoreOpenError): Buffer {
  const lines = completeLines(text);
  const sealedLines = lines.map((line, index) => {
    const bytes = Buffer.from(line, 'utf8');
    const where = `events.jsonl line ${index + 1}`;
    let event: { run_id?: unknown; sequence?: unknown; event_type?: unknown; timestamp?: unknown; payload?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      throw stop(`${where} is not JSON`);
    }
    if (event?.run_id !== runId || event.sequence !== index + 1)
      throw stop(`${where} is not event ${index + 1} of run "${runId}"`);
    if (typeof event.event_type !== 'string' || typeof event.timestamp !== 'string')
      throw stop(`${where} has no event type or timestamp`);
    if (typeof event.payload !== 'object' || event.payload === null || Array.isArray(event.payload))
      throw stop(`${where} has no payload object`);
    // Sealed by an earlier migration that did not finish.
    if (checksumProblem(bytes, 0, bytes.length) === undefined) return Buffer.concat([bytes, Buffer.from('\n')]);
    const { run_id, sequence, event_type, timestamp, payload } = event;
    const text = JSON.stringify({ run_id, sequence, event_type, timestamp, payload });
    return Buffer.concat([sealed(text.slice(0, -1)).record, Buffer.from('\n')]);
  });
  return Buffer.concat(sealedLines);
}

/** One run of format 0 brought to format 1 (the caller holds its locks). */
async function migrateRun(layout: Layout, runId: string, fsync: boolean, operation: string): Promise<void> {
  const stop = (problem: string) =>
    new StoreOpenError(
      `${operation}: ${layout.root} is in filesystem format 0 (wfstore 0.1.0) and cannot be migrated: ` +
        `run "${runId}": ${problem} (the run was left untouched)`,
    );
  const runText = await fs.readFile(layout.runFile(runId), 'utf8').catch((error: unknown) => {
    if (isNotFound(error)) throw stop('run.json is missing');
    throw error;
  });
  try {
    parseRunFile(runText, runId);
  } catch (error) {
    throw stop((error as Error).message);
  }
  const log = sealLog(runId, await fs.readFile(layout.eventsFile(runId), 'utf8'), stop);
  const lastSequence = log.length === 0 ? 0 : completeLines(log.toString('utf8')).length;
  await replaceFile(layout.eventsFile(runId), log, fsync);
  await replaceFile(layout.sealFile(runId), sealRecord({ last_sequence: lastSequence, log_bytes: log.length }), fsync);
  // Format 0's node files and view have no checksum: all are written again from the log.
  await fs.rm(layout.nodesDir(runId), { recursive: true, force: true });
  await fs.mkdir(layout.nodesDir(runId));
  await updateView(layout, runId, true);
}

/**
 * Migrates the runs `runIds` of a format-0 store to format 1, each under its locks; stops (false) when another
 * process finished the migration meanwhile (`marked`).
 */
export async function migrateFormat0(
  layout: Layout,
  runIds: readonly string[],
  fsync: boolean,
  operation: string,
  marked: () => Promise<boolean>,
): Promise<boolean> {
  const locks = new RunLocks((runId) => layout.runDir(runId));
  const views = new ViewWriter(layout);
  try {
    for (const runId of runIds) {
      const done = await locks
        .withLock(runId, () =>
          views.exclusive(runId, async () => {
            if (await marked()) return true;
            await migrateRun(layout, runId, fsync, operation);
            return false;
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof RunMissing) return false;
          throw error;
        });
      if (done) return false;
    }
  } finally {
    await views.close();
    await locks.close();
  }
  await fs.rm(path.join(layout.root, FORMAT_0_LOCKS), { recursive: true, force: true });
  return true;
}

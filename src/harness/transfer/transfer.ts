// Moving runs between stores: copy (store to store), export (store to archive) and import (archive to
// store). Every run goes in whole or not at all (a driver's importRun is one commit), so a rerun after a
// crash copies what is missing and never duplicates; a run already there with the same digest is
// skipped, one there with another log is a conflict, left untouched unless `replace`.

import { importRun } from '../../backends/define-store.js';
import { openStore, parseStoreUrl, redactUrl } from '../../backends/store-url.js';
import type { IWorkflowStore, RunStatus } from '../../contract/types.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, openArchiveOutput, readArchive, runRecords, writeRecord } from './archive.js';
import { Progress } from './progress.js';
import { digestOf, type RunData, readRun } from './run-data.js';

export interface RunFilter {
  runIds?: readonly string[] | undefined;
  status?: RunStatus | undefined;
  workflow?: string | undefined;
}

export interface TransferTotals {
  runs: number;
  events: number;
  copied: number;
  /** Already in the target with the same digest. */
  skipped: number;
  /** In the target with another log: left untouched (unless replace). */
  conflicts: string[];
  replaced: number;
  /** Runs whose copy did not read back equal (count, last sequence, digest). */
  mismatches: string[];
  seconds: number;
}

function totals(): TransferTotals {
  return { runs: 0, events: 0, copied: 0, skipped: 0, conflicts: [], replaced: 0, mismatches: [], seconds: 0 };
}

/** The ids of the runs to move, in the source's order. */
async function selectedRuns(source: IWorkflowStore, filter: RunFilter): Promise<string[]> {
  const runs = await source.listWorkflowRuns({ status: filter.status, workflow_name: filter.workflow });
  const wanted = filter.runIds && new Set(filter.runIds);
  const ids = runs.map((r) => r.id).filter((id) => wanted === undefined || wanted.has(id));
  for (const id of filter.runIds ?? [])
    if (!ids.includes(id)) throw new Error(`--run ${id}: no such run in the source`);
  return ids;
}

/** Puts one run into the target: imported, skipped as identical, or a conflict. */
async function put(target: IWorkflowStore, data: RunData, replace: boolean, sum: TransferTotals): Promise<boolean> {
  sum.runs++;
  sum.events += data.events.length;
  const there = await target.getWorkflowRun(data.run.id);
  if (there !== null) {
    const existing = await readRun(target, data.run.id);
    if (existing !== null && digestOf(existing) === digestOf(data)) {
      sum.skipped++;
      return false;
    }
    if (!replace) {
      sum.conflicts.push(data.run.id);
      return false;
    }
    sum.replaced++;
  }
  await importRun(target, { run: data.run, events: data.events }, { replace: there !== null });
  sum.copied++;
  return true;
}

/** Reads back each run put into the target: same event count, last sequence and digest as the source's. */
async function verifyCopies(target: IWorkflowStore, expected: Map<string, string>, sum: TransferTotals): Promise<void> {
  for (const [id, digest] of expected) {
    const copy = await readRun(target, id);
    if (copy === null || digestOf(copy) !== digest) sum.mismatches.push(id);
  }
}

export async function copyRuns(from: string, to: string, filter: RunFilter, replace: boolean): Promise<TransferTotals> {
  const started = Date.now();
  const [source, target] = [await openStore(from), await openStore(to)];
  const sum = totals();
  try {
    const ids = await selectedRuns(source, filter);
    const progress = new Progress(`copy ${redactUrl(from)} → ${redactUrl(to)}`, ids.length);
    const copied = new Map<string, string>();
    for (const id of ids) {
      const data = await readRun(source, id);
      if (data === null) continue; // deleted meanwhile
      if (await put(target, data, replace, sum)) copied.set(id, digestOf(data));
      progress.add(data.events.length);
    }
    progress.done();
    await verifyCopies(target, copied, sum);
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}

export async function exportRuns(from: string, file: string | undefined, filter: RunFilter): Promise<TransferTotals> {
  const started = Date.now();
  const source = await openStore(from);
  const sum = totals();
  const output = openArchiveOutput(file);
  try {
    const ids = await selectedRuns(source, filter);
    const progress = new Progress(`export ${redactUrl(from)}`, ids.length);
    const source_ = parseStoreUrl(from).display;
    await writeRecord(output.stream, {
      type: 'header',
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      created_at: new Date().toISOString(),
      source: source_,
    });
    for (const id of ids) {
      const data = await readRun(source, id);
      if (data === null) continue;
      for (const record of runRecords(data)) await writeRecord(output.stream, record);
      sum.runs++;
      sum.copied++;
      sum.events += data.events.length;
      progress.add(data.events.length);
    }
    await writeRecord(output.stream, { type: 'footer', runs: sum.runs, events: sum.events });
    progress.done();
  } finally {
    output.stream.end();
    await output.done;
    await source.close();
  }
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}

export async function importRuns(to: string, file: string | undefined, replace: boolean): Promise<TransferTotals> {
  const started = Date.now();
  const target = await openStore(to);
  const sum = totals();
  const imported = new Map<string, string>();
  try {
    const progress = new Progress(`import into ${redactUrl(to)}`, Number.NaN);
    for await (const data of readArchive(file)) {
      if (await put(target, data, replace, sum)) imported.set(data.run.id, digestOf(data));
      progress.add(data.events.length);
    }
    progress.done();
    await verifyCopies(target, imported, sum);
  } finally {
    await target.close();
  }
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}

// Moving runs between stores: copy (store to store), export (store to archive) and import (archive to
// store). Every run goes in whole or not at all (a driver's importRun is one commit), so a rerun after a
// crash copies what is missing and never duplicates; a run already there with the same digest is
// skipped, one there with another log is a conflict, left untouched unless `replace`.
//
// The functions on stores (copyStore, exportStore, importArchive) are the library; copyRuns, exportRuns and
// importRuns open the stores the command line names (URLs, or an initializer's store: opener.ts).

import type { Writable } from 'node:stream';
import { importRun } from '../backends/define-store.js';
import { STORE_URLS, type StoreOpener } from './opener.js';
import type { IWorkflowStore, RunStatus } from '../contract/types.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, openArchive, openArchiveOutput, runRecords, writeRecord } from './archive.js';
import { Progress } from './progress.js';
import { digestOf, type RunData, readRun } from './run-data.js';

export interface RunFilter {
  runIds?: readonly string[] | undefined;
  status?: RunStatus | undefined;
  workflow?: string | undefined;
}

export interface TransferOptions {
  filter?: RunFilter;
  /** Overwrite a run that is in the target with another log (default: report it as a conflict). */
  replace?: boolean;
  /** What the progress lines on stderr say; none when absent. */
  label?: string;
  /**
   * Runs in flight at once (default 4): a server target (PostgreSQL) takes several commits in parallel.
   * Memory holds this many whole runs.
   */
  window?: number;
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

const DEFAULT_WINDOW = 4;

/** The ids of the runs to move, in the source's order. */
async function selectedRuns(source: IWorkflowStore, filter: RunFilter = {}): Promise<string[]> {
  const runs = await source.listWorkflowRuns({ status: filter.status, workflow_name: filter.workflow });
  const wanted = filter.runIds && new Set(filter.runIds);
  const ids = runs.map((r) => r.id).filter((id) => wanted === undefined || wanted.has(id));
  const found = new Set(ids);
  for (const id of filter.runIds ?? []) if (!found.has(id)) throw new Error(`--run ${id}: no such run in the source`);
  return ids;
}

/** `work` on each item, at most `width` at once; the first failure stops taking new items and is thrown. */
async function inWindow<T>(items: AsyncIterable<T> | Iterable<T>, width: number, work: (item: T) => Promise<void>) {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    const task: Promise<void> = work(item)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= width) await Promise.race(running);
    if (failure) break;
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}

/** Puts one run into the target: imported (true), or skipped as identical or a conflict (false). */
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
  await inWindow(expected, DEFAULT_WINDOW, async ([id, digest]) => {
    const copy = await readRun(target, id);
    if (copy === null || digestOf(copy) !== digest) sum.mismatches.push(id);
  });
}

/** Puts every run of `runs` into the target, then reads back each one written. */
async function putAll(
  target: IWorkflowStore,
  runs: AsyncIterable<RunData | null>,
  options: TransferOptions,
  progress: Progress | undefined,
): Promise<TransferTotals> {
  const started = Date.now();
  const sum = totals();
  const written = new Map<string, string>();
  await inWindow(runs, options.window ?? DEFAULT_WINDOW, async (data) => {
    if (data === null) return; // deleted from the source meanwhile
    if (await put(target, data, options.replace === true, sum)) written.set(data.run.id, digestOf(data));
    progress?.add(data.events.length);
  });
  progress?.done();
  await verifyCopies(target, written, sum);
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}

/** Each selected run of the source, read when it is its turn (null if it was deleted meanwhile). */
async function* runsOf(source: IWorkflowStore, ids: string[]): AsyncGenerator<RunData | null> {
  for (const id of ids) yield await readRun(source, id);
}

/** Copies runs from one store to another: timestamps, logs and outputs exactly; rerun to resume. */
export async function copyStore(
  source: IWorkflowStore,
  target: IWorkflowStore,
  options: TransferOptions = {},
): Promise<TransferTotals> {
  const ids = await selectedRuns(source, options.filter);
  const progress = options.label === undefined ? undefined : new Progress(options.label, ids.length);
  return putAll(target, runsOf(source, ids), options, progress);
}

/** Writes runs of the source to an archive stream (docs/archive-format.md); `name` goes in its header. */
export async function exportStore(
  source: IWorkflowStore,
  stream: Writable,
  options: TransferOptions & { name?: string } = {},
): Promise<TransferTotals> {
  const started = Date.now();
  const sum = totals();
  const ids = await selectedRuns(source, options.filter);
  const progress = options.label === undefined ? undefined : new Progress(options.label, ids.length);
  const created_at = new Date().toISOString();
  const source_ = options.name ?? 'a store';
  await writeRecord(stream, {
    type: 'header',
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    created_at,
    source: source_,
  });
  for await (const data of runsOf(source, ids)) {
    if (data === null) continue;
    for (const record of runRecords(data)) await writeRecord(stream, record);
    sum.runs++;
    sum.copied++;
    sum.events += data.events.length;
    progress?.add(data.events.length);
  }
  await writeRecord(stream, { type: 'footer', runs: sum.runs, events: sum.events });
  progress?.done();
  sum.seconds = (Date.now() - started) / 1000;
  return sum;
}

/** Reads an archive file (stdin when undefined) into a store, each run whole or not at all. */
export async function importArchive(
  target: IWorkflowStore,
  file: string | undefined,
  options: TransferOptions = {},
): Promise<TransferTotals> {
  const progress = options.label === undefined ? undefined : new Progress(options.label, Number.NaN);
  return putAll(target, await openArchive(file), options, progress);
}

async function closing<T>(stores: IWorkflowStore[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await Promise.allSettled(stores.map((s) => s.close()));
  }
}

export async function copyRuns(
  from: string,
  to: string,
  filter: RunFilter,
  replace: boolean,
  opener: StoreOpener = STORE_URLS,
): Promise<TransferTotals> {
  opener.check(to); // a bad target is refused before the source is opened
  const source = await opener.openExisting(from);
  const target = await opener.open(to).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  const label = `copy ${opener.display(from)} → ${opener.display(to)}`;
  return closing([source, target], () => copyStore(source, target, { filter, replace, label }));
}

export async function exportRuns(
  from: string,
  file: string | undefined,
  filter: RunFilter,
  opener: StoreOpener = STORE_URLS,
): Promise<TransferTotals> {
  const source = await opener.openExisting(from);
  const output = openArchiveOutput(file);
  const options = { filter, label: `export ${opener.display(from)}`, name: opener.display(from) };
  return closing([source], async () => {
    try {
      return await exportStore(source, output.stream, options);
    } finally {
      output.stream.end();
      await output.done;
    }
  });
}

export async function importRuns(
  to: string,
  file: string | undefined,
  replace: boolean,
  opener: StoreOpener = STORE_URLS,
): Promise<TransferTotals> {
  opener.check(to);
  // The archive's header is read before the target is opened: a missing file, or an archive this version
  // cannot read, leaves no new store behind.
  const archive = await openArchive(file);
  const target = await opener.open(to);
  const label = `import → ${opener.display(to)}`;
  const progress = new Progress(label, Number.NaN);
  return closing([target], () => putAll(target, archive, { replace, label }, progress));
}

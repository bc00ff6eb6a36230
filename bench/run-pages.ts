// listWorkflowRuns at scale (WF-RUN-7): a fresh store filled with N runs, then pages of 50 newest first — the
// newest, one in the middle (after the run at N/2), the last (after the run at N − 50) — each read several
// times: median and p99 of each page. bench/run.ts runs it for every backend; alone:
//   npx tsx bench/run-pages.ts [--backends filesystem,sqlite] [--runs 100000] [--reads 10]
// adds its rows to reports/bench.json (replacing its own earlier rows of those backends) and reports/bench.html.
// N defaults to 100,000 on the filesystem and 1,000,000 elsewhere (the scale); --quick: a tenth.

import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { backendNamed } from '../src/backends/registry.js';
import {
  referenceBackend,
  withoutBackend,
  type ReferenceInitializer,
} from '../src/conformance/reference-initializer.js';
import type { IWorkflowStore, RunPosition } from '../src/contract/types.js';
import { provisionPostgres, type ProvisionedPostgres } from '../src/testing/postgres/provision.js';
import type { Figure } from './measure.js';
import { type BenchReport, type BenchRow, renderBenchHtml } from './report.js';

export const PAGE = 50;
/** Rows of this bench: their operation begins so. */
export const OPERATION = 'listWorkflowRuns';

export function defaultRunCount(backend: string, quick: boolean): number {
  return (backend === 'filesystem' ? 100_000 : 1_000_000) / (quick ? 10 : 1);
}

export interface PageRow {
  operation: string;
  figure: Figure;
  note: string;
}

type Log = (line: string) => void;

const byPositionDesc = (a: RunPosition, b: RunPosition) =>
  a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** `count` runs created through `filler`, 32 at a time; their positions, newest first. */
async function fill(
  filler: IWorkflowStore,
  count: number,
  log: Log,
): Promise<{ positions: RunPosition[]; ms: number }> {
  const started = performance.now();
  const positions: RunPosition[] = [];
  for (let start = 0; start < count; start += 32) {
    const made = await Promise.all(
      Array.from({ length: Math.min(32, count - start) }, (_, k) =>
        filler.createWorkflowRun({ id: `p${start + k}`, workflow_name: 'bench', user_message: '' }),
      ),
    );
    for (const run of made) positions.push({ created_at: run.created_at, id: run.id });
    if ((start / 32) % 1000 === 0 && start > 0) log(`  ${start} runs…`);
  }
  positions.sort(byPositionDesc);
  return { positions, ms: performance.now() - started };
}

/** One page read `reads` times; median and p99 of the reads. */
async function timePage(read: () => Promise<unknown>, reads: number): Promise<Figure> {
  await read(); // the first read compiles the code path and warms the caches
  const samples: number[] = [];
  for (let i = 0; i < reads; i++) {
    const t0 = performance.now();
    await read();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { medianMs: at(0.5), p99Ms: at(0.99), opsPerSec: 1000 / at(0.5), ops: reads };
}

/**
 * Fills `store` (through `filler`, the same data at weaker durability where the backend has it) with `count`
 * runs, then times the newest page, a middle page and the last page, newest first.
 */
export async function measureRunPages(
  store: IWorkflowStore,
  filler: IWorkflowStore,
  count: number,
  reads: number,
  log: Log,
): Promise<PageRow[]> {
  const { positions, ms } = await fill(filler, count, log);
  const of = `of ${count.toLocaleString('en-US')} runs`;
  const pages: [string, RunPosition | undefined][] = [
    [`${OPERATION}: newest ${PAGE} ${of}`, undefined],
    [`${OPERATION}: ${PAGE} in the middle ${of}`, positions[Math.floor(count / 2) - 1]],
    [`${OPERATION}: last ${PAGE} ${of}`, positions[count - PAGE - 1]],
  ];
  const rows: PageRow[] = [];
  for (const [operation, after] of pages) {
    const read = () => store.listWorkflowRuns({ order: 'desc', limit: PAGE, ...(after ? { after } : {}) });
    const page = await read();
    const expected = after === undefined ? 0 : positions.indexOf(after) + 1;
    if (page.length !== PAGE || page[0]!.id !== positions[expected]!.id) throw new Error(`${operation}: wrong page`);
    const figure = await timePage(read, reads);
    rows.push({ operation, figure, note: `filled in ${(ms / 1000).toFixed(0)} s (${count} createWorkflowRun)` });
    log(`  ${operation.padEnd(48)} median ${figure.medianMs.toFixed(2)} ms  p99 ${figure.p99Ms.toFixed(2)} ms`);
  }
  return rows;
}

/** The same data opened with the weaker durability option, where the backend has one; else the store itself. */
export async function fillerFor(initializer: ReferenceInitializer, store: IWorkflowStore): Promise<IWorkflowStore> {
  const location = initializer.locate(store);
  const backend = backendNamed(location.backend);
  return backend.relaxed === undefined ? store : backend.open(withoutBackend(location), backend.relaxed.options);
}

/** A fresh store of the initializer's, filled and measured, then removed. */
export async function benchRunPages(
  initializer: ReferenceInitializer,
  options: { count: number; reads: number; log: Log },
): Promise<PageRow[]> {
  const store = await initializer.createStore();
  try {
    const filler = await fillerFor(initializer, store);
    try {
      return await measureRunPages(store, filler, options.count, options.reads, options.log);
    } finally {
      if (filler !== store) await filler.close();
    }
  } finally {
    await initializer.destroyStore?.(store);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const quick = args.includes('--quick');
  const backends = (option('--backends') ?? 'filesystem').split(',');
  const reads = Number(option('--reads') ?? 10);
  const log: Log = (line) => process.stderr.write(`${line}\n`);
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  let postgres: ProvisionedPostgres | undefined;
  const rows: BenchRow[] = [];
  try {
    if (backends.includes('postgres')) {
      postgres = await provisionPostgres({ log });
      process.env.WFSTORE_PG_URL = postgres.connectionString;
    }
    for (const backend of backends) {
      const count = Number(option('--runs') ?? defaultRunCount(backend, quick));
      log(`bench: ${backend}, ${count} runs`);
      const initializer = referenceBackend(backend, { log });
      await initializer.beforeAll?.();
      try {
        for (const row of await benchRunPages(initializer, { count, reads, log }))
          rows.push({ backend, operation: row.operation, ...row.figure, note: row.note });
      } finally {
        await initializer.afterAll?.();
      }
    }
  } finally {
    await postgres?.stop();
  }
  await saveRows(root, backends, rows, quick);
}

/** Adds the rows to reports/bench.json, replacing this bench's earlier rows of the same backends. */
async function saveRows(root: string, backends: string[], rows: BenchRow[], quick: boolean): Promise<void> {
  const file = path.join(root, 'reports', 'bench.json');
  const report: BenchReport = existsSync(file)
    ? (JSON.parse(await fs.readFile(file, 'utf8')) as BenchReport)
    : { date: new Date().toISOString(), durationMs: 0, quick, machine: {}, peer: 'not measured', rows: [] };
  const mine = (row: BenchRow) => backends.includes(row.backend) && row.operation.startsWith(OPERATION);
  report.rows = [...report.rows.filter((row) => !mine(row)), ...rows];
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(path.join(root, 'reports', 'bench.html'), renderBenchHtml(report));
  console.log(rows.map((r) => `${r.backend} ${r.operation}: median ${r.medianMs.toFixed(2)} ms`).join('\n'));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

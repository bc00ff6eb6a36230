// npx tsx bench/fs-pages.ts — listWorkflowRuns at scale on the filesystem backend (WF-RUN-7): 100,000 runs, pages
// of 50 newest first: the newest page, the page in the middle and the last page, timed side by side in
// alternating rounds. The filesystem keeps no index of runs (an index shared by several processes is work of its
// own): each call reads every run's run.json (and its seal and log size, to see an update not yet in run.json),
// then orders and pages them, so every page costs about the same, in proportion to the runs in the store.
// The runs are those bench/paging.ts loads into SQLite and PostgreSQL (two a second from 2026-01-01, random
// 16-hex-digit ids, 3 % failed, 5 % running, the rest completed, 20 workflows), created here through the store
// (createWorkflowRun, fsync: false, 32 at a time). Rows are merged into reports/bench.json (this bench's rows of
// the filesystem replaced, the others kept), named as bench/paging.ts names its own.
//
//   npx tsx bench/fs-pages.ts [--runs=100000] [--rounds=5] [--dir=DIR (keeps the store there, reused if filled)]

import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFilesystemStore } from '../src/backends/filesystem/index.js';
import type { IWorkflowStore, RunPosition, RunStatus } from '../src/contract/types.js';
import { measureSideBySide } from './measure.js';
import type { BenchReport, BenchRow } from './report.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const RUNS = Number(option('runs') ?? 100_000);
const ROUNDS = Number(option('rounds') ?? 5);
const PAGE = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);
const label = RUNS >= 1_000_000 ? `${RUNS / 1_000_000}M` : `${RUNS / 1000}k`;

const START = Date.UTC(2026, 0, 1);
const statusOf = (i: number): RunStatus => (i % 100 < 3 ? 'failed' : i % 100 < 8 ? 'running' : 'completed');
const hexId = () => Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** RUNS runs through the store, 32 at a time, its clock two runs a second; their positions, newest first. */
async function fill(dir: string): Promise<{ positions: RunPosition[]; ms: number }> {
  let calls = 0;
  const now = () => new Date(START + Math.floor(calls++ / 2) * 1000);
  const filler = await createFilesystemStore({ artifactsDir: dir, fsync: false, now });
  const started = performance.now();
  const positions: RunPosition[] = [];
  try {
    for (let start = 0; start < RUNS; start += 32) {
      const made = await Promise.all(
        Array.from({ length: Math.min(32, RUNS - start) }, (_, k) => {
          const i = start + k;
          const id = hexId();
          const metadata = { tenant: `t-${i % 50}`, claim: id, attempt: 1 };
          const input = { id, workflow_name: `wf-${i % 20}`, user_message: 'a user message', metadata };
          return filler.createWorkflowRun({ ...input, status: statusOf(i) });
        }),
      );
      for (const run of made) positions.push({ created_at: run.created_at, id: run.id });
      if (start % 10_000 === 0 && start > 0) log(`  ${start} runs…`);
    }
  } finally {
    await filler.close();
  }
  return { positions: positions.sort(newestFirst), ms: performance.now() - started };
}

function newestFirst(a: RunPosition, b: RunPosition): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Positions of a store filled earlier (--dir), from one whole listing. */
async function positionsOf(store: IWorkflowStore): Promise<RunPosition[]> {
  return (await store.listWorkflowRuns({ order: 'desc' })).map((run) => ({ created_at: run.created_at, id: run.id }));
}

/** The newest page, the middle one and the last, side by side; each checked against the positions first. */
async function threePages(store: IWorkflowStore, positions: RunPosition[], note: string): Promise<BenchRow[]> {
  const pages = Math.ceil(positions.length / PAGE);
  const at = [0, Math.floor(pages / 2), pages - 1];
  const read = (page: number) => () =>
    store.listWorkflowRuns({ order: 'desc', limit: PAGE, ...(page > 0 ? { after: positions[page * PAGE - 1] } : {}) });
  for (const page of at) {
    const first = (await read(page)())[0];
    if (first?.id !== positions[page * PAGE]!.id) throw new Error(`page ${page + 1} does not start where it should`);
  }
  const figures = await measureSideBySide(at.map(read), { warmup: 1, rounds: ROUNDS, ops: 1 });
  const what = ['newest page', `page ${at[1]! + 1} of ${pages} (the middle)`, `last page (${pages})`];
  return figures.map((figure, i) => ({
    backend: 'filesystem',
    operation: `paging ${label}: ${what[i]} of ${PAGE}, newest first`,
    ...figure,
    note,
  }));
}

/** This bench's rows in reports/bench.json, in place of those of an earlier run; the other rows kept. */
async function mergeReport(rows: BenchRow[], facts: Record<string, unknown>): Promise<void> {
  const file = path.join(ROOT, 'reports', 'bench.json');
  const report: BenchReport = existsSync(file)
    ? (JSON.parse(await fs.readFile(file, 'utf8')) as BenchReport)
    : { date: new Date().toISOString(), durationMs: 0, quick: false, machine: {}, peer: 'not measured', rows: [] };
  const mine = (row: BenchRow) => row.backend === 'filesystem' && row.operation.startsWith('paging ');
  report.rows = [...report.rows.filter((row) => !mine(row)), ...rows];
  report.machine = { ...report.machine, filesystemPaging: facts };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

async function main(): Promise<void> {
  const given = option('dir');
  const dir = given ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-fs-pages-')));
  const loadBefore = os.loadavg();
  try {
    const reuse = given !== undefined && existsSync(path.join(dir, '.wfstore-format'));
    log(reuse ? `bench: the runs already in ${dir}` : `bench: filesystem: creating ${RUNS} runs in ${dir}…`);
    const filled = reuse ? undefined : await fill(dir);
    const store = await createFilesystemStore({ artifactsDir: dir });
    try {
      const positions = filled?.positions ?? (await positionsOf(store));
      const note =
        `listWorkflowRuns through the store, the three pages in alternating rounds; ${positions.length} runs` +
        (filled ? ` created in ${(filled.ms / 1000).toFixed(0)} s` : '');
      const rows = await threePages(store, positions, note);
      for (const row of rows)
        log(`  ${row.operation.padEnd(56)} median ${row.medianMs.toFixed(0)} ms  p99 ${row.p99Ms.toFixed(0)} ms`);
      const loadAfter = os.loadavg();
      await mergeReport(rows, { runs: positions.length, rounds: ROUNDS, loadBefore, loadAfter });
    } finally {
      await store.close();
    }
  } finally {
    if (given === undefined) await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();

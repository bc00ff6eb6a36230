// npx tsx bench/paging.ts — listWorkflowRuns at scale (WF-RUN-7): 1,000,000 runs on SQLite and on PostgreSQL,
// newest first, pages of 50 walked with `after` from the newest to the oldest; then the newest page, a page in
// the middle and the last page timed side by side, unfiltered, for one status and for one workflow.
// The runs are loaded below the public API (one INSERT … SELECT on the server or in SQLite); every page is read
// through the store. Rows are merged into reports/bench.json (this bench's rows replaced, the others kept).
//
//   WFSTORE_PG_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/paging.ts [--backends sqlite,postgres]
//     [--runs 1000000] [--rounds 5]

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPostgresStore } from '../src/backends/postgres/index.js';
import { createSqliteStore } from '../src/backends/sqlite/index.js';
import type { IWorkflowStore, ListWorkflowRunsOptions, RunPosition } from '../src/contract/types.js';
import { provisionPostgres } from '../src/testing/postgres/provision.js';
import { type Figure, measureSideBySide } from './measure.js';
import type { BenchReport, BenchRow } from './report.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const BACKENDS = (option('backends') ?? 'sqlite,postgres').split(',');
const RUNS = Number(option('runs') ?? 1_000_000);
const ROUNDS = Number(option('rounds') ?? 5);
const PAGE = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);
const label = RUNS >= 1_000_000 ? `${RUNS / 1_000_000}M` : `${RUNS / 1000}k`;

/**
 * Two runs a second from 2026-01-01 (so pairs share created_at, ordered by id), random 16-hex-digit ids;
 * statuses: 3 % failed, 5 % running, the rest completed; 20 workflows, `wf-7` one run in twenty.
 */
const FILTERS: { name: string; options: ListWorkflowRunsOptions }[] = [
  { name: '', options: {} },
  { name: 'status failed (3 %)', options: { status: 'failed' } },
  { name: 'workflow_name wf-7 (5 %)', options: { workflow_name: 'wf-7' } },
];

interface Loaded {
  store: IWorkflowStore;
  loadMs: number;
  close(): Promise<void>;
}

async function loadSqlite(dir: string): Promise<Loaded> {
  const filename = path.join(dir, 'paging.db');
  await (await createSqliteStore({ filename })).close();
  const started = performance.now();
  const db = new Database(filename);
  db.pragma('synchronous = OFF');
  db.exec(`
    WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${RUNS - 1})
    INSERT INTO workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
    SELECT id, 'wf-' || (i % 20), CASE WHEN i % 100 < 3 THEN 'failed' WHEN i % 100 < 8 THEN 'running'
                                       ELSE 'completed' END,
           'a user message', '{"tenant":"t-' || (i % 50) || '","claim":"' || id || '","attempt":1}', at, at
    FROM (SELECT i, lower(hex(randomblob(8))) AS id,
                 strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i / 2) || ' seconds') AS at FROM n)`);
  db.exec('ANALYZE');
  db.close();
  const loadMs = performance.now() - started;
  const store = await createSqliteStore({ filename });
  return { store, loadMs, close: () => store.close() };
}

async function loadPostgres(connectionString: string): Promise<Loaded> {
  const schema = `wfstore_bench_paging_${process.pid}`;
  await (await createPostgresStore({ connectionString, schema })).close();
  const client = new pg.Client({ connectionString });
  await client.connect();
  const started = performance.now();
  await client.query('SET synchronous_commit = off');
  await client.query(`
    INSERT INTO ${schema}.workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
    SELECT id, 'wf-' || (i % 20), CASE WHEN i % 100 < 3 THEN 'failed' WHEN i % 100 < 8 THEN 'running'
                                       ELSE 'completed' END,
           'a user message', json_build_object('tenant', 't-' || (i % 50), 'claim', id, 'attempt', 1), at, at
    FROM (SELECT i, substr(md5(random()::text), 1, 16) AS id,
                 timestamptz '2026-01-01Z' + (i / 2) * interval '1 second' AS at
          FROM generate_series(0, ${RUNS - 1}) AS i) AS g`);
  await client.query(`VACUUM ANALYZE ${schema}.workflow_runs`);
  const loadMs = performance.now() - started;
  const store = await createPostgresStore({ connectionString, schema });
  return {
    store,
    loadMs,
    async close() {
      await store.close();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

interface Walk {
  /** The position each page was read after (undefined for the first), and its time in ms. */
  pages: { after: RunPosition | undefined; ms: number }[];
  runs: number;
}

/** Every page of the list, newest first, each read after the last run of the one before. */
async function walk(store: IWorkflowStore, options: ListWorkflowRunsOptions): Promise<Walk> {
  const pages: Walk['pages'] = [];
  let after: RunPosition | undefined;
  let runs = 0;
  for (;;) {
    const t0 = performance.now();
    const page = await store.listWorkflowRuns({ ...options, order: 'desc', limit: PAGE, ...(after ? { after } : {}) });
    pages.push({ after, ms: performance.now() - t0 });
    if (page.length === 0) break;
    runs += page.length;
    const last = page.at(-1)!;
    after = { created_at: last.created_at, id: last.id };
  }
  pages.pop(); // the empty read past the end
  return { pages, runs };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

/** The walk as figures: each tenth of the pages by its median, so a page's cost by its depth shows. */
function walkRow(backend: string, name: string, { pages, runs }: Walk): BenchRow {
  const ms = pages.map((p) => p.ms);
  const tenth = Math.ceil(ms.length / 10);
  const tenths = Array.from({ length: Math.ceil(ms.length / tenth) }, (_, k) =>
    median(ms.slice(k * tenth, (k + 1) * tenth)).toFixed(2),
  );
  const total = ms.reduce((a, b) => a + b, 0);
  return {
    backend,
    operation: `paging ${label}${name ? `, ${name}` : ''}: walk of every page of ${PAGE}, newest first`,
    medianMs: median(ms),
    p99Ms: percentile(ms, 99),
    opsPerSec: (ms.length * 1000) / total,
    ops: ms.length,
    note:
      `${runs} runs in ${ms.length} pages, ${(total / 1000).toFixed(1)} s; median ms of each tenth of the pages, ` +
      `newest to oldest: ${tenths.join(', ')}; slowest page ${Math.max(...ms).toFixed(2)} ms`,
  };
}

/** The newest page, the one in the middle and the last, side by side in alternating rounds. */
async function threePages(store: IWorkflowStore, backend: string, name: string, w: Walk): Promise<BenchRow[]> {
  const at = [0, Math.floor(w.pages.length / 2), w.pages.length - 1];
  const read = (k: number) => () =>
    store.listWorkflowRuns({
      ...FILTERS.find((f) => f.name === name)!.options,
      order: 'desc',
      limit: PAGE,
      ...(w.pages[k]!.after ? { after: w.pages[k]!.after } : {}),
    });
  const figures = await measureSideBySide(at.map(read), { warmup: 20, rounds: ROUNDS, ops: 200, roundMs: 2000 });
  const what = ['newest page', `page ${at[1]! + 1} of ${w.pages.length} (the middle)`, `last page (${w.pages.length})`];
  return figures.map((figure: Figure, i) => ({
    backend,
    operation: `paging ${label}${name ? `, ${name}` : ''}: ${what[i]} of ${PAGE}, newest first`,
    ...figure,
    note: 'listWorkflowRuns through the store; the three pages measured in alternating rounds',
  }));
}

async function benchBackend(backend: string, scratch: string, connectionString: string | undefined) {
  log(`bench: ${backend}: loading ${RUNS} runs…`);
  const loaded = backend === 'sqlite' ? await loadSqlite(scratch) : await loadPostgres(connectionString!);
  log(`bench: ${backend}: loaded in ${(loaded.loadMs / 1000).toFixed(1)} s`);
  const rows: BenchRow[] = [];
  try {
    for (const { name, options } of FILTERS) {
      const w = await walk(loaded.store, options);
      rows.push(walkRow(backend, name, w));
      rows.push(...(await threePages(loaded.store, backend, name, w)));
      for (const row of rows.slice(-4)) {
        const figures = `median ${row.medianMs.toFixed(3)} ms  p99 ${row.p99Ms.toFixed(3)} ms`;
        log(`  ${backend.padEnd(9)} ${row.operation.padEnd(80)} ${figures}`);
      }
    }
  } finally {
    await loaded.close();
  }
  return { rows, loadMs: loaded.loadMs };
}

/** This bench's rows in reports/bench.json, in place of those of an earlier run; the other rows kept. */
async function mergeReport(rows: BenchRow[], facts: Record<string, unknown>): Promise<void> {
  const file = path.join(ROOT, 'reports', 'bench.json');
  let report: BenchReport;
  try {
    report = JSON.parse(await fs.readFile(file, 'utf8')) as BenchReport;
  } catch {
    report = {
      date: new Date().toISOString(),
      durationMs: 0,
      quick: false,
      machine: {},
      peer: 'not measured',
      rows: [],
    };
  }
  const ours = new Set(rows.map((row) => row.backend));
  report.rows = [
    ...report.rows.filter((row) => !(row.operation.startsWith('paging ') && ours.has(row.backend))),
    ...rows,
  ];
  const earlier = (report.machine.paging ?? {}) as Record<string, unknown>;
  report.machine = {
    ...report.machine,
    paging: { ...earlier, ...Object.fromEntries([...ours].map((b) => [b, facts])) },
  };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

async function main(): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-paging-'));
  const server = BACKENDS.includes('postgres') ? await provisionPostgres({ log }) : undefined;
  const loadBefore = os.loadavg();
  const rows: BenchRow[] = [];
  const loads: Record<string, number> = {};
  try {
    for (const backend of BACKENDS) {
      const result = await benchBackend(backend, scratch, server?.connectionString);
      rows.push(...result.rows);
      loads[backend] = Math.round(result.loadMs);
    }
  } finally {
    await server?.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  const facts = {
    date: new Date().toISOString(),
    runs: RUNS,
    loadMs: loads,
    niced: os.getPriority() > 0,
    cpus: os.cpus().length,
    loadAverage: { before: loadBefore.map((l) => l.toFixed(1)), after: os.loadavg().map((l) => l.toFixed(1)) },
    postgres: server ? `${server.serverVersion} (${server.way})` : null,
  };
  await mergeReport(rows, facts);
  log(
    `bench: machine load average (1, 5, 15 min) before ${facts.loadAverage.before}, after ${facts.loadAverage.after}`,
  );
  log('bench: rows merged into reports/bench.json');
}

await main();

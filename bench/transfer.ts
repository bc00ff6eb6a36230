// npm run bench:transfer: `wfstore copy` at scale — 10,000 runs × 100 events (1M events) SQLite → PostgreSQL
// and filesystem → SQLite — each copy in its own process, as a user runs it, with its events/s and peak RSS.
// Writes reports/bench-transfer.json.
// Options: --runs N --events M (default 10000 and 100)   --quick (500 runs)

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importRun } from '../src/backends/define-store.js';
import { openStore } from '../src/backends/store-url.js';
import { provisionPostgres } from '../src/testing/postgres/provision.js';
import { dropSchema } from '../src/testing/postgres/schemas.js';
import pg from 'pg';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const RUNS = option('--runs', args.includes('--quick') ? 500 : 10_000);
const EVENTS = option('--events', 100);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** About 250 bytes of JSON, like a node's small output (the same as bench/run.ts). */
const payload = (i: number) => ({
  node_id: `node-${i % 20}`,
  output: { rows: [i, i + 1, i + 2], status: 'ok', note: 'the quick brown fox jumps over the lazy dog '.repeat(4) },
});

/** Fills a store with RUNS × EVENTS through the import path (the seed is not what is measured). */
async function seed(url: string): Promise<void> {
  const store = await openStore(url);
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const started = Date.now();
  for (let r = 0; r < RUNS; r++) {
    const at = (ms: number) => new Date(base + r * 1_000 + ms).toISOString();
    const id = `run-${String(r).padStart(6, '0')}`;
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      run_id: id,
      sequence: i + 1,
      event_type: 'node_completed',
      timestamp: at(i),
      payload: payload(i),
    }));
    const run = {
      id,
      workflow_name: 'etl',
      user_message: 'bench',
      status: 'completed',
      metadata: { r },
      created_at: at(0),
      updated_at: at(EVENTS),
    };
    await importRun(store, { run, events }, { replace: false });
    if ((r + 1) % 1000 === 0) log(`  seed ${url.split(':')[0]}: ${r + 1}/${RUNS} runs`);
  }
  await store.close();
  log(`  seeded ${RUNS * EVENTS} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

interface CopyFigure {
  from: string;
  to: string;
  runs: number;
  events: number;
  seconds: number;
  eventsPerSec: number;
  peakRssMb: number;
  target: number;
}

/** Runs `wfstore copy` in a child process; its peak RSS is the kernel's high-water mark (VmHWM), polled. */
async function copy(from: string, to: string, label: [string, string], target: number): Promise<CopyFigure> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/wfstore.js'), 'copy', from, to], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    fs.readFile(`/proc/${child.pid}/status`, 'utf8')
      .then((status) => {
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      })
      .catch(() => {});
  }, 100);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`wfstore copy ${label.join(' → ')} exited with ${code}:\n${out}`);
  const seconds = (Date.now() - started) / 1000;
  const events = RUNS * EVENTS;
  log(out.trim());
  return {
    from: label[0],
    to: label[1],
    runs: RUNS,
    events,
    seconds,
    eventsPerSec: Math.round(events / seconds),
    peakRssMb: Math.round(peakKb / 1024),
    target,
  };
}

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-transfer-'));
const server = await provisionPostgres({ log });
const schema = `wfstore_bench_copy_${process.pid}`;
const admin = new pg.Pool({ connectionString: server.connectionString, max: 1 });
const figures: CopyFigure[] = [];
try {
  const sqliteSource = `sqlite:${path.join(scratch, 'source.db')}`;
  const fileSource = `file:${path.join(scratch, 'source-files')}`;
  log(`bench:transfer: ${RUNS} runs × ${EVENTS} events (${(RUNS * EVENTS).toLocaleString('en')} events)`);
  await seed(sqliteSource);
  await seed(fileSource);
  const postgres = `${server.connectionString}${server.connectionString.includes('?') ? '&' : '?'}schema=${schema}`;
  figures.push(await copy(sqliteSource, postgres, ['sqlite', 'postgres'], 30_000));
  figures.push(await copy(fileSource, `sqlite:${path.join(scratch, 'target.db')}`, ['filesystem', 'sqlite'], 100_000));
} finally {
  await dropSchema(admin, schema).catch(() => {});
  await admin.end();
  await server.stop();
  await fs.rm(scratch, { recursive: true, force: true });
}

for (const f of figures) {
  const verdict = f.eventsPerSec >= f.target ? 'meets' : 'misses';
  console.log(
    `${`${f.from} → ${f.to}`.padEnd(22)} ${f.eventsPerSec.toLocaleString('en').padStart(9)} events/s ` +
      `(${f.seconds.toFixed(1)} s, read-back check included)  peak RSS ${f.peakRssMb} MB  ` +
      `target ≥ ${f.target.toLocaleString('en')} events/s: ${verdict}`,
  );
}
await fs.mkdir(path.join(ROOT, 'reports'), { recursive: true });
const machine = { cpus: os.cpus().length, node: process.version, date: new Date().toISOString() };
await fs.writeFile(path.join(ROOT, 'reports', 'bench-transfer.json'), JSON.stringify({ machine, figures }, null, 2));

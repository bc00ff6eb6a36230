// npm run bench: every backend against its raw driver and against LangGraph's checkpointers, in one run.
// Writes a terminal table, reports/bench.json and reports/bench.html.
// Options: --backends filesystem,sqlite,postgres,memory   --quick (fewer rounds, for a smoke run)

import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { createFilesystemStore } from '../src/backends/filesystem/index.js';
import { createSqliteStore } from '../src/backends/sqlite/index.js';
import type { IWorkflowStore } from '../src/contract/types.js';
import { referenceAddress } from '../src/harness/open-location.js';
import { appendFromProcesses } from '../src/harness/processes.js';
import { provisionPostgres, type ProvisionedPostgres } from '../src/harness/postgres/provision.js';
import type { ReferenceInitializer, StoreLocation } from '../src/harness/reference-backends.js';
import { referenceBackend } from '../src/harness/registry.js';
import { rawFile, rawPostgres, rawSqlite, type RawWriter } from './baselines.js';
import { measure, measureBatch, measureSideBySide, type Figure, type MeasureOptions } from './measure.js';
import { renderBenchHtml, renderBenchTable, type BenchReport, type BenchRow } from './report.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only =
  args.find((a) => a.startsWith('--backends='))?.split('=')[1] ??
  (args.includes('--backends') ? args[args.indexOf('--backends') + 1] : undefined);
const BACKENDS = (only ?? 'filesystem,sqlite,postgres,memory').split(',');
const OPTS: MeasureOptions = quick
  ? { warmup: 5, rounds: 2, ops: 50, roundMs: 500 }
  : { warmup: 20, rounds: 5, ops: 300, roundMs: 1500 };
const log = (line: string) => process.stderr.write(line + '\n');

/** About 250 bytes of JSON, like a node's small output. */
const payload = (i: number, node?: string) => ({
  ...(node ? { node_id: node } : {}),
  output: { rows: [i, i + 1, i + 2], status: 'ok', note: 'the quick brown fox jumps over the lazy dog '.repeat(4) },
});
const PAYLOAD_BYTES = JSON.stringify(payload(100, 'node-100')).length;

async function ensurePeers(): Promise<string | undefined> {
  const dir = path.join(ROOT, 'bench', 'peers');
  if (existsSync(path.join(dir, 'node_modules', '@langchain', 'langgraph-checkpoint-sqlite'))) return undefined;
  log('bench: installing the peer (LangGraph checkpointers) into bench/peers, once…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  return result.status === 0 ? undefined : 'npm install in bench/peers failed';
}

interface PeerSaver {
  name: string;
  durability: string;
  put(state: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}
/** What bench/peers/langgraph.ts exports. */
interface Peers {
  sqlitePeer(filename: string): Promise<PeerSaver>;
  postgresPeer(connectionString: string, schema: string): Promise<PeerSaver>;
}

interface Context {
  rows: BenchRow[];
  postgres: ProvisionedPostgres | undefined;
  scratch: string;
  peers: Peers | undefined;
}

function row(
  ctx: Context,
  backend: string,
  operation: string,
  figure: Figure,
  extra: Partial<BenchRow> = {},
): BenchRow {
  const r: BenchRow = { backend, operation, ...figure, ...extra };
  ctx.rows.push(r);
  log(
    `  ${backend.padEnd(10)} ${operation.padEnd(34)} median ${figure.medianMs.toFixed(3)} ms  p99 ${figure.p99Ms.toFixed(3)} ms  ${Math.round(figure.opsPerSec)} ops/s`,
  );
  return r;
}

const SAMPLE = {
  run_id: 'seq',
  event_type: 'node_completed',
  timestamp: new Date().toISOString(),
  payloadJson: JSON.stringify(payload(1, 'node-1')),
};

async function rawFor(
  ctx: Context,
  backend: string,
  durability: 'default' | 'relaxed',
): Promise<RawWriter | undefined> {
  const dir = await fs.mkdtemp(path.join(ctx.scratch, `raw-${backend}-`));
  if (backend === 'sqlite') return rawSqlite(dir, durability === 'default' ? 'FULL' : 'NORMAL');
  if (backend === 'filesystem') return rawFile(dir, durability === 'default');
  if (backend === 'postgres' && durability === 'default')
    return rawPostgres(ctx.postgres!.connectionString, `wfstore_bench_raw_${process.pid}`);
  return undefined;
}

async function peerFor(ctx: Context, backend: string): Promise<PeerSaver | undefined> {
  if (!ctx.peers) return undefined;
  if (backend === 'sqlite')
    return ctx.peers.sqlitePeer(path.join(await fs.mkdtemp(path.join(ctx.scratch, 'peer-')), 'langgraph.db'));
  if (backend === 'postgres') {
    const schema = `wfstore_bench_peer_${process.pid}`;
    const saver = await ctx.peers.postgresPeer(ctx.postgres!.connectionString, schema);
    return {
      ...saver,
      close: async () => {
        await saver.close();
        await dropSchema(ctx.postgres!.connectionString, schema);
      },
    };
  }
  return undefined;
}

/** The same data opened with the weaker durability option, where the backend has one. */
async function relaxedStore(
  initializer: ReferenceInitializer,
  store: IWorkflowStore,
): Promise<{ store: IWorkflowStore; label: string } | undefined> {
  const location = initializer.locate(store);
  if (location.backend === 'sqlite')
    return {
      store: await createSqliteStore({ filename: location.filename, synchronous: 'normal' }),
      label: 'synchronous=normal',
    };
  if (location.backend === 'filesystem')
    return {
      store: await createFilesystemStore({ artifactsDir: location.artifactsDir, fsync: false }),
      label: 'fsync=false',
    };
  return undefined;
}

async function benchBackend(ctx: Context, name: string): Promise<void> {
  log(`bench: ${name}`);
  const initializer: ReferenceInitializer = referenceBackend(name, { log });
  if (name === 'postgres') process.env.WFSTORE_PG_URL = ctx.postgres!.connectionString;
  await initializer.beforeAll?.();
  const store = await initializer.createStore();
  try {
    // Appends, one at a time, on one run: plain, then node_completed over 1,000 nodes; side by side
    // (alternating rounds) with the raw driver writing the same row and, on SQL, the peer's put.
    await store.createWorkflowRun({ id: 'seq', workflow_name: 'bench', user_message: '' });
    const raw = await rawFor(ctx, name, 'default');
    const peer = await peerFor(ctx, name);
    const ops: ((i: number) => Promise<unknown>)[] = [
      (i) => store.createWorkflowEvent({ run_id: 'seq', event_type: 'tick', payload: payload(i) }),
      (i) =>
        store.createWorkflowEvent({
          run_id: 'seq',
          event_type: 'node_completed',
          payload: payload(i, `node-${i % 1000}`),
        }),
    ];
    if (raw) ops.push((i) => raw.append(i + 1, SAMPLE));
    if (peer) ops.push((i) => peer.put(payload(i, `node-${i % 1000}`)));
    const figures = await measureSideBySide(ops, OPTS);
    const plain = row(ctx, name, 'append (plain)', figures[0]!);
    const completed = row(ctx, name, 'append (node_completed)', figures[1]!);
    if (raw) {
      const rawRow = row(ctx, name, 'raw driver: same row', figures[2]!);
      plain.vsRaw = plain.opsPerSec / rawRow.opsPerSec;
      completed.vsRaw = completed.opsPerSec / rawRow.opsPerSec;
      await raw.close();
    }
    let peerRow: BenchRow | undefined;
    if (peer) {
      peerRow = row(ctx, name, `peer: ${peer.name} put`, figures[raw ? 3 : 2]!, {
        note: `peer durability: ${peer.durability}`,
      });
      completed.vsPeer = completed.opsPerSec / peerRow.opsPerSec;
      await peer.close();
    }

    // The weaker setting (survives a process kill, not power loss) where the backend offers it — the
    // peer's own default on SQLite: better-sqlite3 builds WAL with synchronous=NORMAL.
    const relaxed = await relaxedStore(initializer, store);
    if (relaxed) {
      await relaxed.store.createWorkflowRun({ id: 'seq-relaxed', workflow_name: 'bench', user_message: '' });
      const rawRelaxed = await rawFor(ctx, name, 'relaxed');
      const peerRelaxed = name === 'sqlite' ? await peerFor(ctx, name) : undefined;
      const relaxedOps: ((i: number) => Promise<unknown>)[] = [
        (i) =>
          relaxed.store.createWorkflowEvent({
            run_id: 'seq-relaxed',
            event_type: 'node_completed',
            payload: payload(i, `node-${i % 1000}`),
          }),
      ];
      if (rawRelaxed) relaxedOps.push((i) => rawRelaxed.append(i + 1, SAMPLE));
      if (peerRelaxed) relaxedOps.push((i) => peerRelaxed.put(payload(i, `node-${i % 1000}`)));
      const f = await measureSideBySide(relaxedOps, OPTS);
      const ours = row(ctx, name, `append (node_completed), ${relaxed.label}`, f[0]!);
      if (rawRelaxed) {
        ours.vsRaw = ours.opsPerSec / row(ctx, name, `raw driver: same row, ${relaxed.label}`, f[1]!).opsPerSec;
        await rawRelaxed.close();
      }
      if (peerRelaxed) {
        ours.vsPeer =
          ours.opsPerSec /
          row(ctx, name, `peer: ${peerRelaxed.name} put, same durability`, f[rawRelaxed ? 2 : 1]!, {
            note: `peer durability: ${peerRelaxed.durability}`,
          }).opsPerSec;
        await peerRelaxed.close();
      }
      await relaxed.store.close();
    }

    // 4 writers at once on one run, in this process.
    await store.createWorkflowRun({ id: 'conc', workflow_name: 'bench', user_message: '' });
    const perWriter = quick ? 25 : 100;
    row(
      ctx,
      name,
      '4 concurrent writers (in-process)',
      await measureBatch(
        () =>
          Promise.all(
            Array.from({ length: 4 }, async (_, w) => {
              for (let i = 0; i < perWriter; i++)
                await store.createWorkflowEvent({ run_id: 'conc', event_type: 'tick', payload: payload(w * 1000 + i) });
            }),
          ).then(() => {}),
        4 * perWriter,
        quick ? 1 : 3,
      ),
    );

    // 4 processes at once on one run.
    if (name !== 'memory') {
      const location = initializer.locate(store);
      await store.createWorkflowRun({ id: 'procs', workflow_name: 'bench', user_message: '' });
      // The loops start together once the 4 processes are up (start-up is left out of the figure).
      const timing = await appendFromProcesses(
        referenceAddress(location),
        'procs',
        4,
        perWriter * 2,
        200,
        Date.now() + 2500,
      );
      const total = 4 * perWriter * 2;
      const ms = timing.ended - timing.started;
      row(
        ctx,
        name,
        '4 writer processes',
        { medianMs: ms / total, p99Ms: ms / total, opsPerSec: (total * 1000) / ms, ops: total },
        {
          note: `${total} appends from 4 processes in ${ms} ms (mean time per append, not a latency)`,
        },
      );
    }

    // The resume read on 10,000 events over 1,000 nodes, and pages of 1,000 events.
    await populate(initializer, store, 'big', quick ? 2_000 : 10_000, 1_000);
    const cold = Date.now();
    await store.getCompletedDagNodeOutputs('big');
    const coldMs = Date.now() - cold;
    const resume = row(
      ctx,
      name,
      `resume read (${quick ? '2k' : '10k'} events, 1k nodes)`,
      await measure(() => store.getCompletedDagNodeOutputs('big'), { ...OPTS, ops: 20, warmup: 2 }),
      {
        note: `first read after the appends: ${coldMs} ms`,
      },
    );
    resume.coldMs = coldMs;
    const pages = quick ? 2 : 10;
    row(
      ctx,
      name,
      'listWorkflowEvents page of 1,000',
      await measure((i) => store.listWorkflowEvents('big', { after_sequence: (i % pages) * 1000, limit: 1000 }), {
        ...OPTS,
        ops: 20,
        warmup: 2,
      }),
    );

    row(
      ctx,
      name,
      'createWorkflowRun',
      await measure((i) => store.createWorkflowRun({ id: `run-${i}`, workflow_name: 'bench', user_message: '' }), OPTS),
    );
    await store.createWorkflowRun({ id: 'cas', workflow_name: 'bench', user_message: '', status: 'running' });
    row(
      ctx,
      name,
      'compare-and-set update',
      await measure(
        (i) =>
          i % 2 === 0
            ? store.updateWorkflowRun('cas', { status: 'paused' }, { expected_status: 'running' })
            : store.updateWorkflowRun('cas', { status: 'running' }, { expected_status: 'paused' }),
        OPTS,
      ),
    );
  } finally {
    await initializer.destroyStore?.(store);
    await initializer.afterAll?.();
  }
}

/** Fills a run quickly (concurrent appends, weaker durability where that is an option): only its shape matters. */
async function populate(
  initializer: ReferenceInitializer,
  store: IWorkflowStore,
  runId: string,
  events: number,
  nodes: number,
): Promise<void> {
  await store.createWorkflowRun({ id: runId, workflow_name: 'bench', user_message: '' });
  const location: StoreLocation = initializer.locate(store);
  const filler =
    location.backend === 'sqlite'
      ? await createSqliteStore({ filename: location.filename, synchronous: 'normal' })
      : location.backend === 'filesystem'
        ? await createFilesystemStore({ artifactsDir: location.artifactsDir, fsync: false })
        : store;
  for (let start = 0; start < events; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, events - start) }, (_, k) => {
        const i = start + k;
        return filler.createWorkflowEvent({
          run_id: runId,
          event_type: 'node_completed',
          payload: payload(i, `node-${i % nodes}`),
        });
      }),
    );
  }
  if (filler !== store) await filler.close();
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

async function machineFacts(ctx: Context) {
  let postgres: Record<string, string> | null = null;
  if (ctx.postgres) {
    const client = new pg.Client({ connectionString: ctx.postgres.connectionString });
    await client.connect();
    const show = async (setting: string) => (await client.query(`SHOW ${setting}`)).rows[0][setting] as string;
    postgres = {
      version: ctx.postgres.serverVersion,
      provisioning: ctx.postgres.way,
      fsync: await show('fsync'),
      synchronous_commit: await show('synchronous_commit'),
    };
    await client.end();
  }
  const db = (await import('better-sqlite3')).default;
  const mem = new db(':memory:');
  const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  mem.close();
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    sqlite,
    postgres,
    durability: {
      filesystem: 'fsync: true (each append fdatasync’d before it returns; run.json writes fsync’d)',
      sqlite: 'journal_mode=WAL, synchronous=FULL',
      postgres: postgres
        ? `server fsync=${postgres.fsync}, synchronous_commit=${postgres.synchronous_commit}`
        : 'not measured',
    },
    payloadBytes: PAYLOAD_BYTES,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const ctx: Context = {
    rows: [],
    postgres: undefined,
    scratch: await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-')),
    peers: undefined,
  };
  const peerProblem = await ensurePeers();
  // Imported by URL: bench/peers has its own node_modules, absent until first use (and from type checking).
  if (peerProblem === undefined)
    ctx.peers = (await import(pathToFileURL(path.join(ROOT, 'bench', 'peers', 'langgraph.ts')).href)) as Peers;
  else log(`bench: the peer is not measured: ${peerProblem}`);
  try {
    if (BACKENDS.includes('postgres')) ctx.postgres = await provisionPostgres({ log });
    for (const backend of BACKENDS) await benchBackend(ctx, backend);
    const report: BenchReport = {
      date: new Date().toISOString(),
      durationMs: Date.now() - started,
      quick,
      machine: await machineFacts(ctx),
      peer:
        peerProblem ??
        'LangGraph checkpointers (@langchain/langgraph-checkpoint-sqlite 1.0.4, -postgres 1.0.5), one put per step',
      rows: ctx.rows,
    };
    await fs.mkdir(path.join(ROOT, 'reports'), { recursive: true });
    await fs.writeFile(path.join(ROOT, 'reports', 'bench.json'), JSON.stringify(report, null, 2) + '\n');
    await fs.writeFile(path.join(ROOT, 'reports', 'bench.html'), renderBenchHtml(report));
    console.log(renderBenchTable(report));
    console.log(`\nbench: reports/bench.json, reports/bench.html (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await ctx.postgres?.stop();
    await fs.rm(ctx.scratch, { recursive: true, force: true });
  }
}

await main();

// npm run bench: every backend against its raw driver and against LangGraph's checkpointers, in one run.
// Writes a terminal table, reports/bench.json and reports/bench.html.
// Options: --backends filesystem,sqlite,postgres,memory   --quick (fewer rounds, for a smoke run)
//          --no-peers (leave LangGraph out: nothing installed into bench/peers)

import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { BACKEND_NAMES, backendNamed } from '../src/backends/registry.js';
import type { IWorkflowStore } from '../src/contract/types.js';
import { referenceAddress } from '../src/conformance/support/open-location.js';
import { appendFromProcesses } from '../src/conformance/support/processes.js';
import { provisionPostgres, type ProvisionedPostgres } from '../src/testing/postgres/provision.js';
import { dropSchema } from '../src/testing/postgres/schemas.js';
import { type ReferenceInitializer, withoutBackend } from '../src/conformance/reference-initializer.js';
import { referenceBackend } from '../src/conformance/reference-initializer.js';
import { rawFile, rawPostgres, rawSqlite, type RawWriter } from './baselines.js';
import { measure, measureBatch, measureSideBySide, type Figure, type MeasureOptions } from './measure.js';
import { type ManyRunsContender, type ManyRunsFigure, measureManyRuns } from './many-runs.js';
import { DEFAULT_MAX_CONNECTIONS } from '../src/backends/postgres/options.js';
import { renderBenchHtml, renderBenchTable, type BenchReport, type BenchRow } from './report.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noPeers = args.includes('--no-peers');
const only =
  args.find((a) => a.startsWith('--backends='))?.split('=')[1] ??
  (args.includes('--backends') ? args[args.indexOf('--backends') + 1] : undefined);
const BACKENDS = only?.split(',') ?? BACKEND_NAMES;
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
  put(state: Record<string, unknown>, thread?: string): Promise<void>;
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

/** One backend's bench: its store, opened as the conformance suite opens it, and where its rows go. */
interface Bench {
  ctx: Context;
  name: string;
  initializer: ReferenceInitializer;
  store: IWorkflowStore;
}

function row(b: Bench, operation: string, figure: Figure, extra: Partial<BenchRow> = {}): BenchRow {
  const r: BenchRow = { backend: b.name, operation, ...figure, ...extra };
  b.ctx.rows.push(r);
  log(
    `  ${b.name.padEnd(10)} ${operation.padEnd(34)} median ${figure.medianMs.toFixed(3)} ms  ` +
      `p99 ${figure.p99Ms.toFixed(3)} ms  ${Math.round(figure.opsPerSec)} ops/s`,
  );
  return r;
}

const SAMPLE = {
  run_id: 'seq',
  event_type: 'node_completed',
  timestamp: new Date().toISOString(),
  payloadJson: JSON.stringify(payload(1, 'node-1')),
};
/** Appends per writer in the concurrency figures. */
const PER_WRITER = quick ? 25 : 100;

type Op = (i: number) => Promise<unknown>;
const plainAppend =
  (store: IWorkflowStore, runId: string): Op =>
  (i) =>
    store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: payload(i) });
/** A node_completed append, over 1,000 nodes. */
const completionAppend =
  (store: IWorkflowStore, runId: string): Op =>
  (i) =>
    store.createWorkflowEvent({ run_id: runId, event_type: 'node_completed', payload: payload(i, `node-${i % 1000}`) });

async function rawFor(
  ctx: Context,
  backend: string,
  durability: 'default' | 'relaxed',
  poolSize?: number,
): Promise<RawWriter | undefined> {
  const dir = await fs.mkdtemp(path.join(ctx.scratch, `raw-${backend}-`));
  if (backend === 'sqlite') return rawSqlite(dir, durability === 'default' ? 'FULL' : 'NORMAL');
  if (backend === 'filesystem') return rawFile(dir, durability === 'default');
  if (backend === 'postgres' && durability === 'default')
    return rawPostgres(ctx.postgres!.connectionString, `wfstore_bench_raw_${process.pid}`, poolSize);
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
        await dropPeerSchema(ctx.postgres!.connectionString, schema);
      },
    };
  }
  return undefined;
}

async function dropPeerSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await dropSchema(client, schema);
  } finally {
    await client.end();
  }
}

/** The same data opened with the weaker durability option, where the backend has one. */
async function relaxedStore(
  initializer: ReferenceInitializer,
  store: IWorkflowStore,
): Promise<{ store: IWorkflowStore; label: string } | undefined> {
  const location = initializer.locate(store);
  const backend = backendNamed(location.backend);
  if (backend.relaxed === undefined) return undefined;
  return { store: await backend.open(withoutBackend(location), backend.relaxed.options), label: backend.relaxed.label };
}

/** Every figure for one backend. */
async function benchBackend(ctx: Context, name: string): Promise<void> {
  log(`bench: ${name}`);
  // The store's pool as large as the raw driver's (the reference stores of the tests use 4 connections).
  const options = name === 'postgres' ? { maxConnections: DEFAULT_MAX_CONNECTIONS } : {};
  const initializer: ReferenceInitializer = referenceBackend(name, { log, options });
  if (name === 'postgres') process.env.WFSTORE_PG_URL = ctx.postgres!.connectionString;
  await initializer.beforeAll?.();
  const store = await initializer.createStore();
  const b: Bench = { ctx, name, initializer, store };
  try {
    await benchAppends(b);
    await benchRelaxedAppends(b);
    await benchConcurrentWriters(b);
    if (backendNamed(name).supports.multiProcess) await benchWriterProcesses(b);
    await benchReads(b);
    await benchRunWrites(b);
    await benchManyRuns(b);
  } finally {
    await initializer.destroyStore?.(store);
    await initializer.afterAll?.();
  }
}

/** One of our operations in a side-by-side measurement. */
interface Ours {
  operation: string;
  op: Op;
  /** Whether it writes what the peer's put writes (a node's step), so the two compare. */
  againstPeer: boolean;
}
/** Another writer measured beside ours: the raw driver, or the peer. */
interface Contender {
  operation: string;
  op: Op;
  extra: Partial<BenchRow>;
  close(): Promise<void>;
}

const rawContender = (raw: RawWriter, level: string): Contender => ({
  operation: `raw driver: same row${level}`,
  op: (i) => raw.append(i + 1, SAMPLE),
  extra: {},
  close: () => raw.close(),
});
const peerContender = (peer: PeerSaver, level: string): Contender => ({
  operation: `peer: ${peer.name} put${level}`,
  op: (i) => peer.put(payload(i, `node-${i % 1000}`)),
  extra: { note: `peer durability: ${peer.durability}` },
  close: () => peer.close(),
});

/**
 * Ours, the raw driver and the peer in alternating rounds (the same machine state for each); each of ours
 * gets its ratio to the raw driver and, where it writes what the peer writes, to the peer. Closes the others.
 */
async function sideBySide(b: Bench, ours: Ours[], raw?: Contender, peer?: Contender): Promise<void> {
  const others = [raw, peer].filter((c): c is Contender => c !== undefined);
  const figures = await measureSideBySide(
    [...ours, ...others].map((c) => c.op),
    OPTS,
  );
  const ourRows = ours.map((o, k) => row(b, o.operation, figures[k]!));
  for (const [k, other] of others.entries()) {
    const theirs = row(b, other.operation, figures[ours.length + k]!, other.extra);
    for (const [j, r] of ourRows.entries()) {
      if (other === raw) r.vsRaw = r.opsPerSec / theirs.opsPerSec;
      else if (ours[j]!.againstPeer) r.vsPeer = r.opsPerSec / theirs.opsPerSec;
    }
    await other.close();
  }
}

/** Appends, one at a time on one run, plain and node_completed, beside the raw driver and (on SQL) the peer. */
async function benchAppends(b: Bench): Promise<void> {
  await b.store.createWorkflowRun({ id: 'seq', workflow_name: 'bench', user_message: '' });
  const raw = await rawFor(b.ctx, b.name, 'default');
  const peer = await peerFor(b.ctx, b.name);
  await sideBySide(
    b,
    [
      { operation: 'append (plain)', op: plainAppend(b.store, 'seq'), againstPeer: false },
      { operation: 'append (node_completed)', op: completionAppend(b.store, 'seq'), againstPeer: true },
    ],
    raw && rawContender(raw, ''),
    peer && peerContender(peer, ''),
  );
}

/**
 * node_completed appends at the weaker setting (survives a process kill, not power loss) where the backend
 * offers it — the peer's own default on SQLite: better-sqlite3 builds WAL with synchronous=NORMAL.
 */
async function benchRelaxedAppends(b: Bench): Promise<void> {
  const relaxed = await relaxedStore(b.initializer, b.store);
  if (!relaxed) return;
  await relaxed.store.createWorkflowRun({ id: 'seq-relaxed', workflow_name: 'bench', user_message: '' });
  const raw = await rawFor(b.ctx, b.name, 'relaxed');
  const peer = b.name === 'sqlite' ? await peerFor(b.ctx, b.name) : undefined;
  await sideBySide(
    b,
    [
      {
        operation: `append (node_completed), ${relaxed.label}`,
        op: completionAppend(relaxed.store, 'seq-relaxed'),
        againstPeer: true,
      },
    ],
    raw && rawContender(raw, `, ${relaxed.label}`),
    peer && peerContender(peer, ', same durability'),
  );
  await relaxed.store.close();
}

/** 4 writers at once on one run, in this process. */
async function benchConcurrentWriters(b: Bench): Promise<void> {
  await b.store.createWorkflowRun({ id: 'conc', workflow_name: 'bench', user_message: '' });
  const writer = async (w: number) => {
    for (let i = 0; i < PER_WRITER; i++)
      await b.store.createWorkflowEvent({ run_id: 'conc', event_type: 'tick', payload: payload(w * 1000 + i) });
  };
  const writers = () => Promise.all(Array.from({ length: 4 }, (_, w) => writer(w))).then(() => {});
  row(b, '4 concurrent writers (in-process)', await measureBatch(writers, 4 * PER_WRITER, quick ? 1 : 3));
}

/** 4 processes at once on one run. */
async function benchWriterProcesses(b: Bench): Promise<void> {
  const location = b.initializer.locate(b.store);
  await b.store.createWorkflowRun({ id: 'procs', workflow_name: 'bench', user_message: '' });
  // The loops start together once the 4 processes are up (start-up is left out of the figure).
  const perProcess = PER_WRITER * 2;
  const timing = await appendFromProcesses(referenceAddress(location), 'procs', 4, perProcess, 200, Date.now() + 2500);
  const total = 4 * perProcess;
  const ms = timing.ended - timing.started;
  row(
    b,
    '4 writer processes',
    { medianMs: ms / total, p99Ms: ms / total, opsPerSec: (total * 1000) / ms, ops: total },
    { note: `${total} appends from 4 processes in ${ms} ms (mean time per append, not a latency)` },
  );
}

/** The resume read on 10,000 events over 1,000 nodes (cold, then warm), and pages of 1,000 events. */
async function benchReads(b: Bench): Promise<void> {
  const { store } = b;
  await populate(b, 'big', quick ? 2_000 : 10_000, 1_000);
  const cold = Date.now();
  await store.getCompletedDagNodeOutputs('big');
  const coldMs = Date.now() - cold;
  const few = { ...OPTS, ops: 20, warmup: 2 };
  const resume = row(
    b,
    `resume read (${quick ? '2k' : '10k'} events, 1k nodes)`,
    await measure(() => store.getCompletedDagNodeOutputs('big'), few),
    { note: `first read after the appends: ${coldMs} ms` },
  );
  resume.coldMs = coldMs;
  const pages = quick ? 2 : 10;
  const page = (i: number) => store.listWorkflowEvents('big', { after_sequence: (i % pages) * 1000, limit: 1000 });
  row(b, 'listWorkflowEvents page of 1,000', await measure(page, few));
}

const MANY_KS = quick ? [1, 4, 16] : [1, 4, 16, 64];
const MANY_PER_RUN = quick ? 50 : 200;
const MANY_ROUNDS = quick ? 1 : 3;

/** Half the events complete a node (over 20 nodes), half are plain. */
const manyRunsEvent = (i: number) =>
  i % 2 === 0
    ? { event_type: 'node_completed', payload: payload(i, `node-${i % 20}`) }
    : { event_type: 'tick', payload: payload(i) };

/** `tag` keeps the runs of each durability level apart: both levels open the same data. */
function oursMany(store: IWorkflowStore, tag: string): ManyRunsContender {
  return {
    label: 'wfstore createWorkflowEvent',
    kind: 'ours',
    prepare: async (round, runs) => {
      await Promise.all(
        Array.from({ length: runs }, (_, r) =>
          store.createWorkflowRun({ id: `${tag}-${round}-${r}`, workflow_name: 'bench', user_message: '' }),
        ),
      );
    },
    write: (round, run, i) => store.createWorkflowEvent({ run_id: `${tag}-${round}-${run}`, ...manyRunsEvent(i) }),
  };
}
const rawMany = (raw: RawWriter): ManyRunsContender => ({
  label: 'raw driver, one transaction per insert',
  kind: 'raw',
  write: (round, run, i) => raw.append(i + 1, { ...SAMPLE, run_id: `${round}-${run}` }),
});
const peerMany = (peer: PeerSaver): ManyRunsContender => ({
  label: `${peer.name}, one thread per run`,
  kind: 'peer',
  write: (round, run, i) => peer.put(payload(i, `node-${i % 20}`), `${round}-${run}`),
});

/**
 * K runs at once (K = 1, 4, 16, 64), each appending its events one after the other, at the default and the
 * relaxed durability; beside the raw driver (same pool size on PostgreSQL) and the peer (a thread per run).
 */
async function benchManyRuns(b: Bench): Promise<void> {
  // A fresh store: on the one the other figures filled, PostgreSQL appends ran about a third slower (tables
  // and their statistics as the earlier writes left them), while the raw driver's table was new.
  const fresh = await b.initializer.createStore();
  try {
    await manyRunsOn({ ...b, store: fresh });
  } finally {
    await b.initializer.destroyStore?.(fresh);
  }
}

async function manyRunsOn(b: Bench): Promise<void> {
  const relaxed = await relaxedStore(b.initializer, b.store);
  const levels = [
    { store: b.store, durability: 'default' as const, level: '' },
    ...(relaxed ? [{ store: relaxed.store, durability: 'relaxed' as const, level: relaxed.label }] : []),
  ];
  for (const { store, durability, level } of levels) {
    const raw = await rawFor(b.ctx, b.name, durability, DEFAULT_MAX_CONNECTIONS);
    // The peer at its own default (SQLite: synchronous=NORMAL), as in the single-append figures.
    const peer = durability === 'default' || b.name === 'sqlite' ? await peerFor(b.ctx, b.name) : undefined;
    const contenders = [oursMany(store, durability), raw && rawMany(raw), peer && peerMany(peer)].filter(
      (c): c is ManyRunsContender => c !== undefined,
    );
    for (const runs of MANY_KS) {
      const figures = await measureManyRuns(contenders, runs, MANY_PER_RUN, MANY_ROUNDS);
      manyRunsRows(b, contenders, figures, runs, level);
    }
    await raw?.close();
    await peer?.close();
  }
  await relaxed?.store.close();
}

function manyRunsRows(
  b: Bench,
  contenders: ManyRunsContender[],
  figures: ManyRunsFigure[],
  runs: number,
  level: string,
): void {
  const at = `${runs} runs × ${MANY_PER_RUN} appends${level ? `, ${level}` : ''}`;
  const rows = contenders.map((c, k) => {
    const spread = figures[k]!.rounds.map((r) => Math.round(r)).join(', ');
    const operation = c.kind === 'ours' ? `many runs: ${at}` : `${c.kind === 'raw' ? 'raw' : 'peer'}: ${at}`;
    return row(b, operation, figures[k]!, {
      note: `${c.label}; events/s per round: ${spread}`,
      manyRuns: { runs, level, kind: c.kind },
    });
  });
  const [ours, ...others] = rows;
  for (const [k, other] of others.entries()) {
    if (contenders[k + 1]!.kind === 'raw') ours!.vsRaw = ours!.opsPerSec / other.opsPerSec;
    else ours!.vsPeer = ours!.opsPerSec / other.opsPerSec;
  }
}

/** createWorkflowRun, and a compare-and-set update going back and forth. */
async function benchRunWrites(b: Bench): Promise<void> {
  const { store } = b;
  const create = (i: number) => store.createWorkflowRun({ id: `run-${i}`, workflow_name: 'bench', user_message: '' });
  row(b, 'createWorkflowRun', await measure(create, OPTS));
  await store.createWorkflowRun({ id: 'cas', workflow_name: 'bench', user_message: '', status: 'running' });
  const flip = (i: number) =>
    i % 2 === 0
      ? store.updateWorkflowRun('cas', { status: 'paused' }, { expected_status: 'running' })
      : store.updateWorkflowRun('cas', { status: 'running' }, { expected_status: 'paused' });
  row(b, 'compare-and-set update', await measure(flip, OPTS));
}

/** Fills a run quickly (concurrent appends, weaker durability where that is an option): only its shape matters. */
async function populate(b: Bench, runId: string, events: number, nodes: number): Promise<void> {
  await b.store.createWorkflowRun({ id: runId, workflow_name: 'bench', user_message: '' });
  const filler = (await relaxedStore(b.initializer, b.store))?.store ?? b.store;
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
  if (filler !== b.store) await filler.close();
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

/** The figures of bench/paging.ts in the report already written (a separate, long run): kept as they are. */
async function pagingFigures(): Promise<Pick<BenchReport, 'rows' | 'machine'>> {
  try {
    const earlier = JSON.parse(await fs.readFile(path.join(ROOT, 'reports', 'bench.json'), 'utf8')) as BenchReport;
    const rows = earlier.rows.filter((row) => row.operation.startsWith('paging '));
    return { rows, machine: earlier.machine.paging === undefined ? {} : { paging: earlier.machine.paging } };
  } catch {
    return { rows: [], machine: {} };
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const ctx: Context = {
    rows: [],
    postgres: undefined,
    scratch: await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-')),
    peers: undefined,
  };
  const peerProblem = noPeers ? 'left out (--no-peers)' : await ensurePeers();
  // Imported by URL: bench/peers has its own node_modules, absent until first use (and from type checking).
  if (peerProblem === undefined)
    ctx.peers = (await import(pathToFileURL(path.join(ROOT, 'bench', 'peers', 'langgraph.ts')).href)) as Peers;
  else log(`bench: the peer is not measured: ${peerProblem}`);
  try {
    if (BACKENDS.includes('postgres')) ctx.postgres = await provisionPostgres({ log });
    for (const backend of BACKENDS) await benchBackend(ctx, backend);
    const kept = await pagingFigures();
    const report: BenchReport = {
      date: new Date().toISOString(),
      durationMs: Date.now() - started,
      quick,
      machine: { ...(await machineFacts(ctx)), ...kept.machine },
      peer:
        peerProblem ??
        'LangGraph checkpointers (@langchain/langgraph-checkpoint-sqlite 1.0.4, -postgres 1.0.5), one put per step',
      rows: [...ctx.rows, ...kept.rows],
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

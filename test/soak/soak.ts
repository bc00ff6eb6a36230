// npm run soak -- --minutes 10 [--backends postgres,sqlite,filesystem] [--workers 4] [--slots 16]
//
// Per backend, one phase of --minutes: worker processes (worker.ts) drive runs through the reference engine
// while the store is disrupted — the soak's own PostgreSQL restarted every 60 s (fast and immediate shutdown,
// alternating), or, on SQLite and the filesystem, a worker killed with SIGKILL every 30 s and restarted.
// Then every write any worker sent is looked up in the store by its token. Writes reports/soak.json and
// reports/soak.html; exits 1 when an invariant fails (analyse.ts lists them).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { analysePhase, type Disruption, type Incarnation, type PhaseResult } from './analyse.js';
import { type SoakCluster, startSoakCluster } from './cluster.js';
import { type JournalLine, journalFile, type WorkerConfig } from './journal.js';
import { allEvents, tokensOf } from './recording-store.js';
import { renderSoak, type SoakReport } from './render.js';
import { openSoakStore, SCHEMA } from './stores.js';
import { pgbouncerPhase } from './pgbouncer-phase.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(line);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const minutes = Number(option('minutes', '10'));
const workers = Number(option('workers', '4'));
const slots = Number(option('slots', '16'));
const backends = option('backends', 'postgres,sqlite,filesystem').split(',') as WorkerConfig['backend'][];
if (!(minutes > 0) || !(workers > 0) || !(slots > 0)) {
  console.error(
    'usage: npm run soak -- --minutes N [--backends postgres,sqlite,filesystem] [--workers 4] [--slots 16]',
  );
  process.exit(2);
}
const RESTART_EVERY_MS = 60_000;
const KILL_EVERY_MS = 30_000;
const DRAIN_MS = 60_000;

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

interface Running {
  config: WorkerConfig;
  child: ChildProcess;
  ended: Incarnation['ended'];
  stderr: string;
  exited: Promise<void>;
}

function startWorker(config: WorkerConfig): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'worker.ts'), JSON.stringify(config)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: root,
  });
  const running: Running = { config, child, ended: 'still running', stderr: '', exited: Promise.resolve() };
  child.stderr!.on('data', (chunk: Buffer) => {
    running.stderr = (running.stderr + chunk.toString()).slice(-4000);
  });
  running.exited = new Promise((resolve) =>
    child.on('exit', (code) => {
      if (running.ended === 'still running') running.ended = code === 0 ? 'clean' : 'crashed';
      resolve();
    }),
  );
  return running;
}

/** Location of the phase's store: prepared (schema, database file) before any worker opens it. */
async function prepareStore(backend: WorkerConfig['backend'], location: string, schema: string): Promise<void> {
  const store = await openSoakStore(backend, location, 'soak-setup', schema);
  await store.close();
}

/** Every token in the store, counted, for the runs the journals name. */
async function tokensInStore(store: IWorkflowStore, runs: Set<string>, parallel: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const queue = [...runs];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let runId = queue.pop(); runId !== undefined; runId = queue.pop()) {
        const run = await store.getWorkflowRun(runId);
        const events = run === null ? [] : await allEvents(store, runId);
        for (const [token, n] of tokensOf(run, events)) found.set(token, (found.get(token) ?? 0) + n);
      }
    }),
  );
  return found;
}

function readJournal(file: string): JournalLine[] {
  if (!existsSync(file)) return [];
  const lines: JournalLine[] = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (raw === '') continue;
    try {
      lines.push(JSON.parse(raw) as JournalLine);
    } catch {
      // the last line of a killed process, cut short
    }
  }
  return lines;
}

/** Samples the server's connections per worker (application_name soak-wN) each second. */
function sampleConnections(connectionString: string, phaseStart: number) {
  const samples: { t: number; byWorker: number[] }[] = [];
  let client: pg.Client | undefined;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sleep(1000);
      try {
        if (client === undefined) {
          client = new pg.Client({ connectionString, application_name: 'soak-monitor', connectionTimeoutMillis: 1000 });
          client.on('error', () => {});
          await client.connect();
        }
        const { rows } = await client.query<{ name: string; n: string }>(
          'SELECT application_name AS name, count(*) AS n FROM pg_stat_activity ' +
            "WHERE application_name LIKE 'soak-w%' GROUP BY 1",
        );
        const byWorker = Array.from({ length: workers }, () => 0);
        for (const row of rows) byWorker[Number(row.name.slice(6))] = Number(row.n);
        samples.push({ t: Date.now() - phaseStart, byWorker });
      } catch {
        await client?.end().catch(() => {});
        client = undefined;
      }
    }
    await client?.end().catch(() => {});
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** When a query through `connectionString` first succeeds again (polled every 100 ms, for up to a minute). */
async function answering(connectionString: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return Date.now();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export interface PhaseOptions {
  backend: WorkerConfig['backend'];
  /** A pooler in front of the server (the optional PgBouncer phase): what workers connect to, and its pause. */
  via?: { name: string; connectionString: string; pause(): Promise<{ at: number; until: number }> };
  cluster?: SoakCluster;
}

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const { backend, cluster } = options;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `wfstore-soak-${backend}-`));
  try {
    const location =
      backend === 'postgres'
        ? (options.via?.connectionString ?? cluster!.connectionString)
        : path.join(dir, backend === 'sqlite' ? 'soak.db' : 'store');
    const schema = options.via === undefined ? SCHEMA : `${SCHEMA}_${options.via.name}`;
    await prepareStore(backend, location, schema);
    const phaseStart = Date.now();
    const durationMs = minutes * 60_000;
    const disruptions: Disruption[] = [];
    const incarnations: Running[] = [];
    const current: Running[] = [];
    const generation = Array.from({ length: workers }, () => 0);
    const spawnWorker = (worker: number) => {
      const running = startWorker({
        backend,
        location,
        worker,
        generation: generation[worker]!,
        slots,
        dir,
        phaseStart,
        schema,
      });
      incarnations.push(running);
      current[worker] = running;
    };
    for (let w = 0; w < workers; w++) spawnWorker(w);
    // The server's count per worker means something only when each worker holds its own connections: through a
    // pooler they are the pooler's, named after whichever client used them last, so a worker's own sockets count.
    const monitor =
      backend === 'postgres' && options.via === undefined
        ? sampleConnections(cluster!.connectionString, phaseStart)
        : undefined;
    log(
      `soak: ${backend}${options.via ? ` via ${options.via.name}` : ''}: ` +
        `${workers} workers × ${slots} runs, ${minutes} min`,
    );

    const since = () => Date.now() - phaseStart;
    let restarts = 0;
    let kills = 0;
    let paused = false;
    while (since() < durationMs) {
      await sleep(200);
      if (backend === 'postgres') {
        if (options.via !== undefined && !paused && since() >= durationMs / 2 - 15_000) {
          paused = true;
          const { at, until } = await options.via.pause();
          disruptions.push({ kind: 'pgbouncer pause', at: at - phaseStart, until: until - phaseStart });
          log(`soak: ${options.via.name} paused and resumed (${until - at} ms)`);
        }
        if (since() >= (restarts + 1) * RESTART_EVERY_MS && since() < durationMs - 5_000) {
          const mode = restarts % 2 === 0 ? 'fast' : 'immediate';
          restarts++;
          const restarted = await cluster!.restart(mode);
          const stoppedAt = restarted.stoppedAt;
          // Through a pooler, callers' outage lasts until the pooler logs in to the server again.
          const readyAt = options.via ? await answering(options.via.connectionString) : restarted.readyAt;
          disruptions.push({ kind: `restart ${mode}`, at: stoppedAt - phaseStart, until: readyAt - phaseStart });
          log(
            `soak: restart ${mode} at ${((stoppedAt - phaseStart) / 1000).toFixed(0)} s: ` +
              `down ${readyAt - stoppedAt} ms`,
          );
        }
      } else if (since() >= (kills + 1) * KILL_EVERY_MS && since() < durationMs - 5_000) {
        const worker = kills % workers;
        kills++;
        const victim = current[worker]!;
        const at = since();
        victim.ended = 'killed';
        victim.child.kill('SIGKILL');
        await victim.exited;
        generation[worker]!++;
        spawnWorker(worker);
        disruptions.push({ kind: 'kill -9', worker, at, until: since() });
        log(`soak: killed worker ${worker} at ${(at / 1000).toFixed(0)} s, restarted`);
      }
    }
    // The end: every worker finishes the runs it has under way.
    for (const running of current) running.child.kill('SIGTERM');
    const drained = await Promise.race([
      Promise.all(current.map((r) => r.exited)).then(() => true),
      sleep(DRAIN_MS).then(() => false),
    ]);
    if (!drained) for (const running of current) running.child.kill('SIGKILL');
    await Promise.all(current.map((r) => r.exited));
    await monitor?.stop();
    const actualMs = since();
    log(`soak: ${backend}: workers stopped; reading every run back`);

    const journals: Incarnation[] = incarnations.map((r) => ({
      worker: r.config.worker,
      generation: r.config.generation,
      lines: readJournal(journalFile(dir, r.config.worker, r.config.generation)),
      ended: r.ended,
      stderr: r.stderr,
    }));
    const runs = new Set<string>();
    for (const j of journals) for (const line of j.lines) if (line[0] === 'c') runs.add(line[4]);
    const store = await openSoakStore(backend, location, 'soak-check', schema);
    let found: Map<string, number>;
    try {
      found = await tokensInStore(store, runs, backend === 'postgres' ? 8 : 4);
    } finally {
      await store.close();
    }
    return analysePhase({
      backend,
      via: options.via?.name,
      minutes,
      durationMs: actualMs,
      workers,
      slots,
      incarnations: journals,
      disruptions,
      serverConnections: monitor?.samples ?? [],
      found,
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const report: SoakReport = {
    startedAt: new Date().toISOString(),
    machine: { uptimeBefore: uptime(), uptimeAfter: '', cpus: os.cpus().length, node: process.version },
    options: { minutes, workers, slots },
    phases: [],
    skipped: [],
    ok: true,
  };
  const outDir = path.join(root, 'reports');
  mkdirSync(outDir, { recursive: true });
  const write = () => {
    report.machine.uptimeAfter = uptime();
    report.ok = report.phases.every((p) => p.invariants.every((i) => i.ok));
    writeFileSync(path.join(outDir, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'soak.html'), renderSoak(report));
  };
  for (const backend of backends) {
    if (backend === 'postgres') {
      const cluster = await startSoakCluster(log);
      try {
        report.phases.push(await runPhase({ backend, cluster }));
        write();
        const pooled = await pgbouncerPhase(cluster, (via) => runPhase({ backend, cluster, via }));
        if ('skipped' in pooled) report.skipped.push({ phase: 'postgres via pgbouncer', reason: pooled.skipped });
        else report.phases.push(pooled.result);
      } finally {
        await cluster.stop();
      }
    } else {
      report.phases.push(await runPhase({ backend }));
    }
    write();
  }
  write();
  for (const phase of report.phases) {
    log(`\n== ${phase.backend}${phase.via ? ` via ${phase.via}` : ''} ==`);
    for (const i of phase.invariants) log(`${i.ok ? 'ok  ' : 'FAIL'} ${i.name}: ${i.detail}`);
    log(
      `acknowledged ${phase.writes.acknowledged} writes, ${phase.writes.acknowledgedEvents} events; ` +
        `p50 ${phase.latencyMs.p50} ms p99 ${phase.latencyMs.p99} ms; errors ${JSON.stringify(phase.errors.byCode)}`,
    );
  }
  for (const s of report.skipped) log(`not run: ${s.phase}: ${s.reason}`);
  log(`\nsoak: ${report.ok ? 'every invariant held' : 'AN INVARIANT FAILED'} (reports/soak.json, reports/soak.html)`);
  return report.ok ? 0 : 1;
}

process.exitCode = await main();

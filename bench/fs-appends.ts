// The filesystem backend's appends, beside the raw append (the same line written to an open file, fdatasync'd):
//  - single appends, one at a time on one run: plain and node_completed (over 1,000 nodes), fsync on and off;
//  - many runs at once: K runs (K = 1, 4, 16, 64), each appending 200 events one after the other (await each;
//    half node_completed), at fsync: true; the same load on the raw append (K files).
// With --old DIR (a copy of older code's src/), old and new are measured side by side, in alternating rounds;
// --impl LABEL=DIR adds a variant. --completions F: the share of node_completed in the many-runs load (0.5).
//   npx tsx bench/fs-appends.ts [--old /tmp/old/src] [--impl LABEL=DIR …] [--rounds 5] [--only single|many]
//     [--ks 1,4,16,64] [--completions 0.5]

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IWorkflowStore } from '../src/contract/types.js';
import { rawFile, type RawWriter } from './baselines.js';
import { type Impl, implsFromArgs, ms, numberOption, payload, spread, spreadText } from './fs-side.js';
import { appendAtOnce } from './many-runs.js';

const args = process.argv.slice(2);
const ROUNDS = numberOption(args, '--rounds', 5);
const OPS = numberOption(args, '--ops', 300);
const PER_RUN = numberOption(args, '--per-run', 200);
const COMPLETIONS = numberOption(args, '--completions', 0.5);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const KS = (args.includes('--ks') ? args[args.indexOf('--ks') + 1]! : '1,4,16,64').split(',').map(Number);
const log = (line: string) => process.stderr.write(`${line}\n`);

const SAMPLE = {
  run_id: 'seq',
  event_type: 'node_completed',
  timestamp: new Date().toISOString(),
  payloadJson: JSON.stringify(payload(1, 'node-1')),
};

type Op = (i: number) => Promise<unknown>;
interface Contender {
  label: string;
  op: Op;
  samples: number[];
  rates: number[];
}

/** Rounds of OPS calls, each contender in turn (the order turning round by round), each call timed. */
async function sideBySide(contenders: Contender[]): Promise<void> {
  const counters = contenders.map(() => 0);
  for (const [k, c] of contenders.entries()) for (let w = 0; w < 20; w++) await c.op(counters[k]!++);
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...contenders.keys()].map((k) => (k + round) % contenders.length);
    for (const k of order) {
      const c = contenders[k]!;
      const start = performance.now();
      for (let n = 0; n < OPS; n++) {
        const t0 = performance.now();
        await c.op(counters[k]!++);
        c.samples.push(performance.now() - t0);
      }
      c.rates.push((OPS * 1000) / (performance.now() - start));
    }
  }
}

const contender = (label: string, op: Op): Contender => ({ label, op, samples: [], rates: [] });

async function singleAppends(impls: Impl[], scratch: string, fsync: boolean): Promise<void> {
  const stores: IWorkflowStore[] = [];
  const contenders: Contender[] = [];
  for (const impl of impls) {
    const store = await impl.open({ artifactsDir: path.join(scratch, `single-${impl.label}-${fsync}`), fsync });
    stores.push(store);
    for (const kind of ['plain', 'node'] as const) {
      const runId = `seq-${kind}`;
      await store.createWorkflowRun({ id: runId, workflow_name: 'bench', user_message: '' });
      const op: Op = (i) =>
        kind === 'plain'
          ? store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: payload(i) })
          : store.createWorkflowEvent({
              run_id: runId,
              event_type: 'node_completed',
              payload: payload(i, `node-${i % 1000}`),
            });
      contenders.push(contender(`${impl.label} append (${kind === 'plain' ? 'plain' : 'node_completed'})`, op));
    }
  }
  const raw = await rawFile(await fs.mkdtemp(path.join(scratch, 'raw-')), fsync);
  contenders.push(contender('raw append', (i) => raw.append(i + 1, SAMPLE)));
  await sideBySide(contenders);
  const rawRate = spread(contenders.at(-1)!.rates).median;
  console.log(`\nsingle appends, fsync: ${fsync} (${ROUNDS} rounds of ${OPS}; ops/s: median of rounds, [min–max])`);
  for (const c of contenders) {
    const rates = spread(c.rates);
    const range = `[${Math.min(...c.rates).toFixed(0)}–${Math.max(...c.rates).toFixed(0)}]`;
    const ratio = c === contenders.at(-1) ? '' : `  ${(rates.median / rawRate).toFixed(2)}× raw`;
    console.log(
      `  ${c.label.padEnd(28)} ${spreadText(spread(c.samples))}  ${rates.median.toFixed(0)} ops/s ${range}${ratio}`,
    );
  }
  await raw.close();
  await Promise.all(stores.map((s) => s.close()));
}

interface ManyFigure {
  eventsPerSec: number;
  latencies: number[];
}

/** K runs at once, each appending PER_RUN events one after the other (half node_completed). */
const manyRuns = (append: (run: number, i: number) => Promise<unknown>, k: number): Promise<ManyFigure> =>
  appendAtOnce(append, k, PER_RUN);

async function storeLoad(impl: Impl, dir: string, k: number) {
  const store = await impl.open({ artifactsDir: dir });
  for (let run = 0; run < k; run++)
    await store.createWorkflowRun({ id: `k${run}`, workflow_name: 'b', user_message: '' });
  const append = (run: number, i: number) =>
    store.createWorkflowEvent(
      (i * COMPLETIONS) % 1 >= COMPLETIONS || COMPLETIONS === 0
        ? { run_id: `k${run}`, event_type: 'tick', payload: payload(i) }
        : { run_id: `k${run}`, event_type: 'node_completed', payload: payload(i, `node-${i % 100}`) },
    );
  return { append, close: () => store.close() };
}

async function rawLoad(dir: string, k: number) {
  const writers: RawWriter[] = [];
  for (let run = 0; run < k; run++) writers.push(await rawFile(await fs.mkdtemp(path.join(dir, 'raw-')), true));
  const append = (run: number, i: number) => writers[run]!.append(i + 1, SAMPLE);
  return { append, close: async () => void (await Promise.all(writers.map((w) => w.close()))) };
}

async function manyRunsTable(impls: Impl[], scratch: string): Promise<void> {
  const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
  console.log(
    `\nK runs at once, each ${PER_RUN} appends in turn (${COMPLETIONS * 100}% node_completed), fsync: true; ` +
      `${ROUNDS} rounds; UV_THREADPOOL_SIZE ${threads}`,
  );
  for (const k of KS) {
    const figures = new Map<string, ManyFigure[]>();
    const labels = [...impls.map((i) => i.label), 'raw'];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? labels : [...labels].reverse();
      for (const label of order) {
        const dir = await fs.mkdtemp(path.join(scratch, `many-${label}-`));
        const impl = impls.find((i) => i.label === label);
        const load = impl === undefined ? await rawLoad(dir, k) : await storeLoad(impl, dir, k);
        const figure = await manyRuns(load.append, k);
        await load.close();
        await fs.rm(dir, { recursive: true, force: true });
        figures.set(label, [...(figures.get(label) ?? []), figure]);
      }
    }
    const rawRate = spread(figures.get('raw')!.map((f) => f.eventsPerSec)).median;
    for (const label of labels) {
      const rates = figures.get(label)!.map((f) => f.eventsPerSec);
      const lat = spread(figures.get(label)!.flatMap((f) => f.latencies));
      const ratio = label === 'raw' ? '' : `  ${(spread(rates).median / rawRate).toFixed(2)}× raw`;
      console.log(
        `  K=${String(k).padEnd(3)} ${label.padEnd(4)} ${spread(rates).median.toFixed(0).padStart(6)} events/s ` +
          `[${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}]  p50 ${ms(lat.median)} ms  ` +
          `p99 ${ms(lat.p99)} ms${ratio}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const impls = await implsFromArgs(args);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-appends-'));
  log(`fs-appends: ${impls.map((i) => i.label).join(', ')}; cores ${os.cpus().length}; ${os.loadavg()[0]} load`);
  try {
    if (only !== 'many') {
      await singleAppends(impls, scratch, true);
      await singleAppends(impls, scratch, false);
    }
    if (only !== 'single') await manyRunsTable(impls, scratch);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

await main();

// The many-runs workload: K runs at once, each appending its events one after the other (await each), as a
// workflow engine with K runs in flight does. Total events/s and the latency of each append; contenders
// measured in alternating rounds so that each sees the same machine state.

import { performance } from 'node:perf_hooks';
import type { Figure } from './measure.js';

/** One writer under test: `prepare` makes the K runs of a round (named by `round`), `write` appends event i. */
export interface ManyRunsContender {
  label: string;
  kind: 'ours' | 'raw' | 'peer';
  prepare?(round: string, runs: number): Promise<void>;
  write(round: string, run: number, i: number): Promise<unknown>;
}

export interface ManyRunsFigure extends Figure {
  /** Events/s of each round, to show the spread. */
  rounds: number[];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** K runs appending `perRun` events each, all at once, each run awaiting its appends one after the other. */
export async function appendAtOnce(
  append: (run: number, i: number) => Promise<unknown>,
  runs: number,
  perRun: number,
): Promise<{ latencies: number[]; eventsPerSec: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async (_, run) => {
      for (let i = 0; i < perRun; i++) {
        const t0 = performance.now();
        await append(run, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, eventsPerSec: (runs * perRun * 1000) / (performance.now() - started) };
}

/** One round of a contender: its K runs prepared, then appendAtOnce. */
async function round(c: ManyRunsContender, name: string, runs: number, perRun: number) {
  await c.prepare?.(name, runs);
  return appendAtOnce((run, i) => c.write(name, run, i), runs, perRun);
}

/** Every contender at K runs, `rounds` rounds each, alternating; ops/s is the median round. */
export async function measureManyRuns(
  contenders: readonly ManyRunsContender[],
  runs: number,
  perRun: number,
  rounds: number,
): Promise<ManyRunsFigure[]> {
  const latencies: number[][] = contenders.map(() => []);
  const throughputs: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, contender] of contenders.entries()) {
      const result = await round(contender, `k${runs}-r${r}`, runs, perRun);
      latencies[k]!.push(...result.latencies);
      throughputs[k]!.push(result.eventsPerSec);
    }
  }
  return contenders.map((_, k) => {
    const sorted = [...latencies[k]!].sort((a, b) => a - b);
    const perRound = throughputs[k]!;
    return {
      medianMs: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      opsPerSec: percentile(
        [...perRound].sort((a, b) => a - b),
        50,
      ),
      ops: sorted.length,
      rounds: perRound,
    };
  });
}

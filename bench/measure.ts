// Timing: warm-up, several rounds, each op timed; medians and p99 over all timed ops.

import { performance } from 'node:perf_hooks';

export interface Figure {
  medianMs: number;
  p99Ms: number;
  opsPerSec: number;
  ops: number;
}

export interface MeasureOptions {
  warmup?: number;
  rounds?: number;
  /** Ops per round, at most. */
  ops?: number;
  /** A round stops early after this long. */
  roundMs?: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Times `op` one call at a time. ops/s is the median of the rounds' throughputs. */
export async function measure(
  op: (i: number) => Promise<unknown> | unknown,
  options: MeasureOptions = {},
): Promise<Figure> {
  const { warmup = 20, rounds = 5, ops = 300, roundMs = 1500 } = options;
  let i = 0;
  for (let w = 0; w < warmup; w++) await op(i++);
  const samples: number[] = [];
  const throughputs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    let done = 0;
    while (done < ops && performance.now() - start < roundMs) {
      const t0 = performance.now();
      await op(i++);
      samples.push(performance.now() - t0);
      done++;
    }
    throughputs.push((done * 1000) / (performance.now() - start));
  }
  samples.sort((a, b) => a - b);
  throughputs.sort((a, b) => a - b);
  return {
    medianMs: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    opsPerSec: percentile(throughputs, 50),
    ops: samples.length,
  };
}

/**
 * Times several ops in alternating rounds (A, B, C, A, B, C, …), so that each sees the same machine
 * state (disk cache, WAL, other load): ratios between them are then fair.
 */
export async function measureSideBySide(
  ops: readonly ((i: number) => Promise<unknown> | unknown)[],
  options: MeasureOptions = {},
): Promise<Figure[]> {
  const { warmup = 20, rounds = 5, ops: perRound = 300, roundMs = 1500 } = options;
  const counters = ops.map(() => 0);
  for (const [k, op] of ops.entries()) for (let w = 0; w < warmup; w++) await op(counters[k]!++);
  const samples: number[][] = ops.map(() => []);
  const throughputs: number[][] = ops.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, op] of ops.entries()) {
      const start = performance.now();
      let done = 0;
      while (done < perRound && performance.now() - start < roundMs) {
        const t0 = performance.now();
        await op(counters[k]!++);
        samples[k]!.push(performance.now() - t0);
        done++;
      }
      throughputs[k]!.push((done * 1000) / (performance.now() - start));
    }
  }
  return ops.map((_, k) => {
    const sorted = samples[k]!.sort((a, b) => a - b);
    const tp = throughputs[k]!.sort((a, b) => a - b);
    return {
      medianMs: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      opsPerSec: percentile(tp, 50),
      ops: sorted.length,
    };
  });
}

/** Times a batch that does `count` ops at once (concurrent writers, several processes). */
export async function measureBatch(
  batch: (round: number) => Promise<void>,
  count: number,
  rounds = 3,
): Promise<Figure> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await batch(r);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 50);
  return {
    medianMs: median / count,
    p99Ms: times.at(-1)! / count,
    opsPerSec: (count * 1000) / median,
    ops: count * rounds,
  };
}

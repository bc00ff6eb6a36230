// How long the validation module takes on large inputs: `npx tsx bench/validation.ts [rounds]`.
// Each shape is serialized `rounds` times (default 20) after a warm-up; the median and the total are printed.

import { performance } from 'node:perf_hooks';
import { serializeJson } from '../src/contract/validation.js';

const MiB = 1024 * 1024;

/** Many small objects, about `bytes` of JSON: the usual shape of a large payload. */
function smallObjects(bytes: number): Record<string, unknown> {
  const items: unknown[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: `item-${i}`, ok: i % 2 === 0, score: i / 7, tags: ['a', 'b'], at: null };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return { items };
}

/** One flat array of numbers: the most array elements for the size. */
function numbers(bytes: number): Record<string, unknown> {
  return { values: Array.from({ length: Math.floor(bytes / 8) }, (_, i) => i * 1.5) };
}

/** One long string: almost nothing to walk, only bytes to measure. */
function oneString(bytes: number): Record<string, unknown> {
  return { text: 'x'.repeat(bytes) };
}

function time(label: string, value: unknown, rounds: number): void {
  const bytes = serializeJson(value, 'payload').length;
  for (let i = 0; i < 3; i++) serializeJson(value, 'payload');
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    serializeJson(value, 'payload');
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const total = samples.reduce((a, b) => a + b, 0);
  const mib = (bytes / MiB).toFixed(1);
  console.log(
    `${label.padEnd(28)} ${mib.padStart(5)} MiB  median ${median.toFixed(1)} ms  total ${total.toFixed(0)} ms`,
  );
}

const rounds = Number(process.argv[2] ?? 20);
time('small objects, 10 MiB', smallObjects(10 * MiB), rounds);
time('small objects, 1 MiB', smallObjects(MiB), rounds);
time('array of numbers, 10 MiB', numbers(10 * MiB), rounds);
time('one string, 15 MiB', oneString(15 * MiB), rounds);

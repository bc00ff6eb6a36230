// Shared by the filesystem benches (fs-reads.ts, fs-appends.ts): the code under test loaded from a source
// directory (this tree's src/, or a copy of older code given with --old DIR), so that old and new run side by
// side on the same machine state; and the spread of a set of timings.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { createFilesystemStore } from '../src/backends/filesystem/index.js';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface Impl {
  label: string;
  /** The src/ directory the store is loaded from. */
  src: string;
  open: typeof createFilesystemStore;
}

/** The filesystem store of the code in `src` (a src/ directory: this tree's, or a copy of older code). */
export async function loadImpl(label: string, src: string): Promise<Impl> {
  const url = pathToFileURL(path.join(path.resolve(src), 'backends', 'filesystem', 'index.ts')).href;
  const module = (await import(url)) as { createFilesystemStore: typeof createFilesystemStore };
  return { label, src: path.resolve(src), open: module.createFilesystemStore };
}

/** This tree's code; the older code when `--old DIR` is given; and each `--impl LABEL=DIR` (variants). */
export async function implsFromArgs(args: readonly string[]): Promise<Impl[]> {
  const impls = [await loadImpl('new', path.join(ROOT, 'src'))];
  const old = args.includes('--old') ? args[args.indexOf('--old') + 1] : undefined;
  if (old !== undefined) impls.unshift(await loadImpl('old', old));
  for (const [i, arg] of args.entries()) {
    const [label, dir] = arg === '--impl' ? (args[i + 1] ?? '').split('=') : [];
    if (label !== undefined && dir !== undefined) impls.push(await loadImpl(label, dir));
  }
  return impls;
}

export function numberOption(args: readonly string[], name: string, fallback: number): number {
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
}

/** About 250 bytes of JSON, like a node's small output (as in bench/run.ts). */
export const payload = (i: number, node?: string) => ({
  ...(node ? { node_id: node } : {}),
  output: { rows: [i, i + 1, i + 2], status: 'ok', note: 'the quick brown fox jumps over the lazy dog '.repeat(4) },
});

export interface Spread {
  median: number;
  p10: number;
  p90: number;
  p99: number;
  n: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), p99: at(0.99), n: sorted.length };
}

export const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));

export function spreadText(s: Spread): string {
  return `median ${ms(s.median)} ms  (p10 ${ms(s.p10)}, p90 ${ms(s.p90)}, p99 ${ms(s.p99)}; n=${s.n})`;
}

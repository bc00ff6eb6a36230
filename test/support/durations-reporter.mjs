// A node:test reporter beside the spec one (test/run.ts): the time each test file took, summed over its
// top-level tests (those it defines itself), printed slowest first and kept in reports/test-durations.json,
// from which the next run starts the longest files first. Plain JavaScript: node loads reporters before tsx
// is registered.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FILE = path.join('reports', 'test-durations.json');

/** @typedef {{ nesting?: number, file?: string, details?: { duration_ms?: number } }} TestData */
/** @param {AsyncIterable<{ type: string, data: TestData }>} source */
export default async function* durations(source) {
  /** @type {Map<string, number>} */
  const took = new Map();
  for await (const { type, data } of source) {
    // A top-level test of a test file (a suite defined elsewhere, such as a shared one, has its own place).
    if ((type !== 'test:pass' && type !== 'test:fail') || data.nesting !== 0 || !data.file?.endsWith('.test.ts')) {
      continue;
    }
    const file = path.relative(process.cwd(), data.file);
    took.set(file, (took.get(file) ?? 0) + (data.details?.duration_ms ?? 0));
  }
  const slowest = [...took].sort((a, b) => b[1] - a[1]);
  yield '\ntest files, slowest first (s):\n';
  for (const [file, ms] of slowest.slice(0, 12)) yield `  ${(ms / 1000).toFixed(1).padStart(6)}  ${file}\n`;
  const before = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {};
  mkdirSync(path.dirname(FILE), { recursive: true });
  writeFileSync(FILE, `${JSON.stringify({ ...before, ...Object.fromEntries(took) }, null, 1)}\n`);
}

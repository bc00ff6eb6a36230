// Every mutant (a store with one contract rule broken) must fail the conformance suite, run through
// the initializer path a third party uses. Prints the mutation score.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT, runConformance } from '../../src/harness/matrix/conformance.js';
import type { ConformanceSummary } from '../../src/harness/matrix/summary.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOT_MUTANTS = new Set(['mutant.ts', 'mutation.test.ts']);
const mutants = (await fs.readdir(HERE)).filter((f) => f.endsWith('.ts') && !NOT_MUTANTS.has(f)).sort();

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

function killers(summary: ConformanceSummary): string[] {
  return summary.requirements.flatMap((r) =>
    r.scenarios
      .filter((s) => Object.values(s.cells).some((c) => c.status === 'failed'))
      .map((s) => `${r.id} › ${s.name}`),
  );
}

it(`the conformance suite kills every mutant (${mutants.length} of them)`, { timeout: 600_000 }, async () => {
  assert.ok(mutants.length >= 15, `at least 15 mutants, found ${mutants.length}`);
  const outcomes = await pool(mutants, 3, async (file) => {
    const summary = await runConformance({
      store: path.join(HERE, file),
      reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', file.replace(/\.ts$/, '')),
      log: () => {},
    });
    return { file, summary, caughtBy: killers(summary) };
  });
  const survivors = outcomes.filter((o) => o.summary.failed === 0);
  console.log(`\nmutation score: ${outcomes.length - survivors.length}/${outcomes.length} killed`);
  for (const { file, caughtBy } of outcomes) {
    console.log(
      `  ${caughtBy.length > 0 ? '✔ killed' : '✖ SURVIVED'}  ${file.replace(/\.ts$/, '').padEnd(28)} ${caughtBy.length} scenario(s), first: ${caughtBy[0] ?? '—'}`,
    );
  }
  assert.deepEqual(
    survivors.map((s) => s.file),
    [],
    'mutants no scenario caught',
  );
});

// Every mutant (a store with one contract rule broken) must fail the conformance suite, run through the
// initializer path a third party uses — built once on the memory store (which takes the harness's clock
// and ids) and once on the third-party test store (its own clock, ids and error class). Prints both
// mutation scores. A mutant that breaks only a SHOULD rule counts as caught when it shows amber.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT, runConformance } from '../../src/conformance/run-conformance.js';
import type { ConformanceSummary } from '../../src/report/summary.js';
import { BASES, type Mutant, mutantModule } from './mutant.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Every .ts file here but mutant.ts and the tests is one mutant.
const mutants = (await fs.readdir(HERE))
  .filter((f) => f.endsWith('.ts') && f !== 'mutant.ts' && !f.endsWith('.test.ts'))
  .sort();
const MODULES = path.join(PACKAGE_ROOT, 'reports', 'mutants', 'modules');

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

function caughtBy(summary: ConformanceSummary): { failed: string[]; warned: string[] } {
  const scenarios = summary.requirements.flatMap((r) => r.scenarios.map((s) => ({ ...s, requirement: r.id })));
  const where = (status: string) =>
    scenarios
      .filter((s) => Object.values(s.cells).some((c) => c.status === status))
      .map((s) => `${s.requirement} › ${s.name}`);
  return { failed: where('failed'), warned: where('warned') };
}

for (const base of BASES) {
  it(`the conformance suite kills every mutant built on the ${base} store (${mutants.length} of them)`, {
    timeout: 900_000,
  }, async () => {
    assert.ok(mutants.length >= 20, `at least 20 mutants, found ${mutants.length}`);
    const outcomes = await pool(mutants, 2, async (file) => {
      const { level } = ((await import(path.join(HERE, file))) as { default: Mutant }).default;
      const summary = await runConformance({
        store: await mutantModule(file.replace(/\.ts$/, ''), base, MODULES),
        reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', base, file.replace(/\.ts$/, '')),
        log: () => {},
      });
      return { file, level, summary, ...caughtBy(summary) };
    });
    // A MUST mutant must fail a scenario; a SHOULD mutant must at least show amber.
    const survivors = outcomes.filter((o) => o.failed.length === 0 && (o.level === 'MUST' || o.warned.length === 0));
    console.log(`\nmutation score (${base} store): ${outcomes.length - survivors.length}/${outcomes.length} killed`);
    for (const o of outcomes) {
      const how =
        o.failed.length > 0
          ? `✔ killed  ${o.failed.length} failed`
          : o.warned.length > 0
            ? '▲ amber   (SHOULD)'
            : '✖ SURVIVED';
      console.log(
        `  ${how.padEnd(20)} ${o.file.replace(/\.ts$/, '').padEnd(28)} first: ${o.failed[0] ?? o.warned[0] ?? '—'}`,
      );
    }
    assert.deepEqual(
      survivors.map((s) => s.file),
      [],
      'mutants no scenario caught',
    );
  });
}

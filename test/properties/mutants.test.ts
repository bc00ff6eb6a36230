// The properties alone (no Gherkin scenario) against each mutant store: how many they catch, and how
// small the shrunk counterexample is.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StoreTestInitializer } from '../../src/harness/initializer.js';
import { checkConcurrency } from '../../src/harness/properties/concurrency.js';
import { checkAgreement } from '../../src/harness/properties/differential.js';

const MUTANTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'mutants');
const files = (await fs.readdir(MUTANTS))
  .filter((f) => f.endsWith('.ts') && !['mutant.ts', 'mutation.test.ts'].includes(f))
  .sort();
const RUNS = Number(process.env.FC_NUM_RUNS ?? 300);

it(`the properties alone catch at least 80% of the ${files.length} mutants`, { timeout: 1_800_000 }, async () => {
  const rows: string[] = [];
  let caught = 0;
  for (const file of files) {
    const mutant = (await import(path.join(MUTANTS, file))).default as StoreTestInitializer;
    const sequences = await checkAgreement([mutant], { numRuns: RUNS, seed: 42 });
    const concurrent = sequences.failed ? undefined : await checkConcurrency(mutant, { numRuns: 100, seed: 42 });
    const by = sequences.failed
      ? `sequences, ${sequences.counterexampleLength} call(s)`
      : concurrent?.failed
        ? `concurrency, ${concurrent.counterexampleLength} call(s)`
        : undefined;
    if (by) caught++;
    rows.push(`  ${by ? '✔ caught' : '✖ missed'}  ${mutant.name.padEnd(28)} ${by ?? ''}`);
  }
  console.log(
    `\nproperties alone: ${caught}/${files.length} mutants caught (seed 42, ${RUNS} sequence runs, 100 concurrency runs)\n${rows.join('\n')}`,
  );
  assert.ok(caught / files.length >= 0.8, `only ${caught}/${files.length}`);
});

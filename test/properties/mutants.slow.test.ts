// The properties alone (no Gherkin scenario) against the mutant stores: how many they catch, how small the
// shrunk counterexample is, and — for the three bugs a third party's store once got past the suite with
// (the limit applied before ordering, event_type not checked, outputs ordered by node id), and one of each
// kind contract 1.2's commands are for (expected_metadata ignored on appends, a list of events numbered last
// to first, pages after a position with >= instead of >) — whether they catch them on every one of 20
// random seeds at the default run count of the conformance scenarios.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkConcurrency } from '../../src/properties/concurrency.js';
import { checkAgreement, DEFAULT_PROPERTY_RUNS, type PropertyResult } from '../../src/properties/differential.js';
import { loadMutant, type Mutant, mutantNames, onBase } from '../mutants/mutant.js';

const names = await mutantNames();
const RUNS = Number(process.env.WFSTORE_PROPERTY_RUNS ?? 300);
const PLANTED = [
  'limit-before-ordering',
  'event-type-unchecked',
  'outputs-in-node-order',
  'fenced-append-unchecked',
  'events-numbered-in-reverse',
  'page-after-inclusive',
];
// The mutants include input the generator does not make (getters, setters, symbol keys and Proxies in input,
// values over the size limits, null ids, fractional limits, null or omitted arguments, input objects that are
// not plain) and a clock or id source at fault, which it never sets: only their scenarios meet those.
const AT_LEAST = 0.45;

/** Caught: the property failed, or — for a SHOULD mutant — reported the recommendation. */
function caught(spec: Mutant, result: PropertyResult): boolean {
  return result.failed || (spec.level === 'SHOULD' && result.recommendations.length > 0);
}

it(`the properties alone catch at least ${AT_LEAST * 100}% of the ${names.length} mutants`, {
  timeout: 1_800_000,
}, async () => {
  const rows: string[] = [];
  let count = 0;
  for (const name of names) {
    const spec = await loadMutant(name);
    const mutant = await onBase(spec, 'memory');
    const sequences = await checkAgreement([mutant], { numRuns: RUNS, seed: 42 });
    const concurrent = caught(spec, sequences) ? undefined : await checkConcurrency(mutant, { numRuns: 100, seed: 42 });
    const by = caught(spec, sequences)
      ? `sequences, ${sequences.failed ? `${sequences.counterexampleLength} call(s)` : 'as a recommendation'}`
      : concurrent && caught(spec, concurrent)
        ? `concurrency, ${concurrent.counterexampleLength} call(s)`
        : undefined;
    if (by) count++;
    rows.push(`  ${by ? '✔ caught' : '✖ missed'}  ${spec.name.padEnd(28)} ${by ?? ''}`);
  }
  console.log(
    `\nproperties alone: ${count}/${names.length} mutants caught ` +
      `(seed 42, ${RUNS} sequence runs, 100 concurrency runs)\n${rows.join('\n')}`,
  );
  assert.ok(count / names.length >= AT_LEAST, `only ${count}/${names.length}`);
});

it(`the property scenarios catch each planted bug on 20 random seeds out of 20 (${DEFAULT_PROPERTY_RUNS} runs)`, {
  timeout: 1_800_000,
}, async () => {
  const lines: string[] = [];
  const missed: string[] = [];
  for (const name of PLANTED) {
    const spec = await loadMutant(name);
    const mutant = await onBase(spec, 'memory');
    let count = 0;
    for (let trial = 0; trial < 20; trial++) {
      const seed = (Date.now() ^ (trial * 7919)) | 0;
      const sequences = await checkAgreement([mutant], { numRuns: DEFAULT_PROPERTY_RUNS, seed });
      const hit =
        caught(spec, sequences) ||
        caught(spec, await checkConcurrency(mutant, { numRuns: Math.round(DEFAULT_PROPERTY_RUNS / 3), seed }));
      if (hit) count++;
      else missed.push(`${name} with seed ${seed}`);
    }
    lines.push(`  ${name.padEnd(24)} caught ${count}/20`);
  }
  console.log(`\nplanted bugs, properties alone at the default ${DEFAULT_PROPERTY_RUNS} runs:\n${lines.join('\n')}`);
  assert.deepEqual(missed, []);
});

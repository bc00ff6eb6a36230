// Random operation sequences: every backend agrees with the model, and concurrent calls on one run keep
// the contract's invariants. WFSTORE_PROPERTY_RUNS, _SEED and _PATH are honoured (npm run test:deep: 10,000).

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { checkConcurrency } from '../../src/properties/concurrency.js';
import { checkAgreement, propertySettings } from '../../src/properties/differential.js';
import { selectedBackends } from '../support/backends.js';

const backends = selectedBackends();
// Each backend's conformance file runs the same property against the model (50 runs, REQ-PROPERTIES); here
// the backends go through the same sequences in lockstep, 50 more by default (test:deep: 10,000).
const sequences = propertySettings({}, { numRuns: 50 });
const concurrent = propertySettings({}, { numRuns: 20 });

before(async () => {
  for (const b of backends) await b.beforeAll?.();
});
after(async () => {
  for (const b of backends) await b.afterAll?.();
});

it(`all backends (${backends.map((b) => b.name).join(', ')}) agree with the model on random operation sequences`, {
  timeout: 6 * 3_600_000,
}, async () => {
  const started = Date.now();
  const result = await checkAgreement(backends, sequences);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`property (sequences): ${result.numRuns} runs, seed ${result.seed}, ${seconds} s`);
  assert.equal(result.failed, false, result.report);
});

for (const backend of backends) {
  it(`concurrent appends, resumes and deletes on one run keep the invariants on ${backend.name}`, {
    timeout: 6 * 3_600_000,
  }, async () => {
    const started = Date.now();
    const result = await checkConcurrency(backend, concurrent);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`property (concurrency, ${backend.name}): ${result.numRuns} runs, seed ${result.seed}, ${seconds} s`);
    assert.equal(result.failed, false, result.report);
  });
}

// The property tests as conformance scenarios (WFSTORE_PROPERTY_RUNS sets how many runs; default 50).

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { checkConcurrency } from '../src/harness/properties/concurrency.js';
import { checkAgreement, type PropertyResult } from '../src/harness/properties/differential.js';
import type { StoreWorld } from './support/world.js';

const runs = Number(process.env.WFSTORE_PROPERTY_RUNS ?? 50);

function report(world: StoreWorld, result: PropertyResult, what: string): void {
  world.log(`${what}: ${result.numRuns} runs, seed ${result.seed}`);
  assert.equal(result.failed, false, result.report);
}

When('random operation sequences run on the store under test and on the model', async function (this: StoreWorld) {
  this.notes.set('property', await checkAgreement([this.suite.initializer], { numRuns: runs }));
});

Then('every result and every error code agrees with the model', function (this: StoreWorld) {
  report(this, this.notes.get('property') as PropertyResult, 'random operation sequences');
});

When(
  'appends, compare-and-set resumes and a delete run concurrently on one run, in random orders',
  async function (this: StoreWorld) {
    this.notes.set(
      'property',
      await checkConcurrency(this.suite.initializer, { numRuns: Math.max(5, Math.round(runs / 3)) }),
    );
  },
);

Then(
  'sequences stay gapless and unique, at most one resume wins, and outputs follow the latest completion',
  function (this: StoreWorld) {
    report(this, this.notes.get('property') as PropertyResult, 'concurrent calls');
  },
);

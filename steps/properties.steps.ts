// The property tests as conformance scenarios. `wfstore conformance --property-runs/--seed/--path` (world
// parameters) set how many runs and replay a failure; without them, WFSTORE_PROPERTY_* (src/config.ts).

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { checkConcurrency } from '../src/properties/concurrency.js';
import {
  checkAgreement,
  DEFAULT_PROPERTY_RUNS,
  type PropertyResult,
  type PropertySettings,
  propertySettings,
} from '../src/properties/differential.js';
import type { StoreWorld } from './support/world.js';

function settings(world: StoreWorld, share = 1): PropertySettings {
  const given = world.parameters.properties ?? {};
  const chosen = propertySettings(given, { numRuns: DEFAULT_PROPERTY_RUNS });
  return {
    ...chosen,
    numRuns: Math.max(5, Math.round(chosen.numRuns * share)),
    replay: given.replay ? `${given.replay} --name "${world.pickleName}"` : undefined,
    contract: world.suite.contract,
  };
}

function report(world: StoreWorld, result: PropertyResult, what: string): void {
  world.log(`${what}: ${result.numRuns} runs, seed ${result.seed}`);
  if (result.failed) assert.fail(result.report);
  for (const r of result.recommendations) world.recommend(r.rule, () => assert.fail(r.message));
}

When('random operation sequences run on the store under test and on the model', async function (this: StoreWorld) {
  this.notes.set('property', await checkAgreement([this.suite.initializer], settings(this)));
});

Then('every result and every error code agrees with the model', function (this: StoreWorld) {
  report(this, this.notes.get('property') as PropertyResult, 'random operation sequences');
});

When(
  'appends, compare-and-set resumes and a delete run concurrently on one run, in random orders',
  async function (this: StoreWorld) {
    this.notes.set('property', await checkConcurrency(this.suite.initializer, settings(this, 1 / 3)));
  },
);

Then(
  'sequences stay gapless and unique, at most one resume wins, and outputs follow the latest completion',
  function (this: StoreWorld) {
    report(this, this.notes.get('property') as PropertyResult, 'concurrent calls');
  },
);

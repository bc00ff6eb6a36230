// The property tests as conformance scenarios. `wfstore conformance --property-runs/--seed/--path` (world
// parameters) set how many runs and replay a failure; without them, WFSTORE_PROPERTY_* (src/config.ts).
// Their time is bounded by the property itself (its limit grows with the runs, --property-timeout sets it),
// not by cucumber's step timeout, whose fixed limit said nothing of how to raise it.

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { checkConcurrency } from '../src/properties/concurrency.js';
import {
  checkAgreement,
  DEFAULT_PROPERTY_RUNS,
  type PropertyResult,
  type PropertySettings,
  propertySettings,
  propertyTimeLimit,
  timedOut,
} from '../src/properties/differential.js';
import { PROPERTY_MEDIA_TYPE, type PropertyRun } from '../src/conformance/recommendation.js';
import type { StoreWorld } from './support/world.js';

function settings(world: StoreWorld, share = 1): PropertySettings {
  const given = world.parameters.properties ?? {};
  // A seed an expectations file recorded with this scenario's failure replays it, unless --seed is given.
  const seed = given.seed ?? world.parameters.propertySeeds?.[world.pickleName];
  const chosen = propertySettings({ ...given, seed }, { numRuns: DEFAULT_PROPERTY_RUNS });
  const numRuns = Math.max(5, Math.round(chosen.numRuns * share));
  return {
    ...chosen,
    numRuns,
    timeLimitMs: chosen.timeLimitMs ?? propertyTimeLimit(numRuns),
    replay: given.replay ? `${given.replay} --name "${world.pickleName}"` : undefined,
    contract: world.suite.contract,
  };
}

function report(world: StoreWorld, result: PropertyResult, what: string): void {
  world.log(`${what}: ${result.numRuns} runs, seed ${result.seed}`);
  const run: PropertyRun = { seed: result.seed, runs: result.numRuns };
  world.attach(JSON.stringify(run), PROPERTY_MEDIA_TYPE);
  if (result.failed) assert.fail(result.report);
  for (const r of result.recommendations) world.recommend(r.rule, () => assert.fail(r.message));
}

/**
 * The property, and a last bound a minute past its own limit (fast-check stops only between runs): a run
 * that never ends fails the step with the same message instead of hanging the scenario.
 */
async function bounded(settings: PropertySettings, run: () => Promise<PropertyResult>): Promise<PropertyResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(timedOut(settings))), (settings.timeLimitMs ?? 0) + 60_000);
  });
  try {
    return await Promise.race([run(), late]);
  } finally {
    clearTimeout(timer);
  }
}

When(
  'random operation sequences run on the store under test and on the model',
  { timeout: -1 },
  async function (this: StoreWorld) {
    const chosen = settings(this);
    this.notes.set('property', await bounded(chosen, () => checkAgreement([this.suite.initializer], chosen)));
  },
);

Then('every result and every error code agrees with the model', function (this: StoreWorld) {
  report(this, this.notes.get('property') as PropertyResult, 'random operation sequences');
});

When(
  'appends, compare-and-set resumes and a delete run concurrently on one run, in random orders',
  { timeout: -1 },
  async function (this: StoreWorld) {
    const chosen = settings(this, 1 / 3);
    this.notes.set('property', await bounded(chosen, () => checkConcurrency(this.suite.initializer, chosen)));
  },
);

Then(
  'sequences stay gapless and unique, at most one resume wins, and outputs follow the latest completion',
  function (this: StoreWorld) {
    report(this, this.notes.get('property') as PropertyResult, 'concurrent calls');
  },
);

// The property runs keep their stores from one passing run to the next (src/properties/kept-stores.ts): far
// fewer stores are opened, every one is destroyed, a failure is reported, shrunk and replayed as on new
// stores, and a store that keeps something of a deleted run fails the property with that run's calls.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { StoreTestInitializer } from '../../src/conformance/initializer.js';
import { referenceBackend } from '../../src/conformance/reference-initializer.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { checkConcurrency } from '../../src/properties/concurrency.js';
import { checkAgreement } from '../../src/properties/differential.js';
import { KeptStores } from '../../src/properties/kept-stores.js';
import { loadMutant, onBase } from '../mutants/mutant.js';

/** The initializer, counting the stores it makes and destroys. */
function counted(initializer: StoreTestInitializer) {
  const n = { created: 0, destroyed: 0 };
  const wrapped: StoreTestInitializer = {
    ...initializer,
    async createStore(options) {
      n.created++;
      return initializer.createStore(options);
    },
    async destroyStore(store: IWorkflowStore) {
      n.destroyed++;
      await (initializer.destroyStore?.(store) ?? store.close());
    },
  };
  return { initializer: wrapped, n };
}

it('a passing property opens a handful of stores, not one a run, and destroys every one', async () => {
  const { initializer, n } = counted(referenceBackend('memory'));
  const sequences = await checkAgreement([initializer], { numRuns: 100, seed: 7 });
  assert.equal(sequences.failed, false, sequences.report);
  const concurrent = await checkConcurrency(initializer, { numRuns: 40, seed: 7 });
  assert.equal(concurrent.failed, false, concurrent.report);
  assert.ok(n.created > 0 && n.created <= 5, `${n.created} stores opened for 140 runs`);
  assert.equal(n.destroyed, n.created, 'every store opened is destroyed');
});

it('a failure is shrunk and replayed as on new stores', async () => {
  const mutant = await onBase(await loadMutant('limit-before-ordering'), 'memory');
  const result = await checkAgreement([mutant], { numRuns: 200, seed: 42 });
  assert.equal(result.failed, true);
  assert.ok(result.counterexampleLength <= 4, result.report);
  assert.match(result.report, /shrunk to \d call\(s\)/);
  assert.match(result.report, /WFSTORE_PROPERTY_SEED=42 WFSTORE_PROPERTY_PATH=\d[\d:]*/);
});

it('a store that keeps something of a deleted run fails the property, with that run and the seed', async () => {
  for (const name of ['deleted-events-come-back', 'deleted-outputs-come-back']) {
    const mutant = await onBase(await loadMutant(name), 'memory');
    const result = await checkAgreement([mutant], { numRuns: 200, seed: 42 });
    assert.equal(result.failed, true, `${name}: not caught`);
    assert.match(result.report, /kept something of a deleted run \(WF-RUN-6\)/);
    assert.match(result.report, /await store\./);
    assert.match(result.report, /WFSTORE_PROPERTY_SEED=42 WFSTORE_PROPERTY_RUNS=200 \(every run from the first/);
  }
});

it('a store that cannot be emptied is destroyed, and the next run gets a new one', async () => {
  const opened: string[] = [];
  const destroyed: string[] = [];
  let emptied = false;
  const kept = new KeptStores<string>(
    {
      open: async () => {
        opened.push(`store-${opened.length + 1}`);
        return opened.at(-1)!;
      },
      empty: async () => emptied,
      destroy: async (store) => void destroyed.push(store),
    },
    { hung: undefined, note: () => {} },
  );
  const seen: [string, boolean][] = [];
  const body = async (store: string, onKept: boolean) => void seen.push([store, onKept]);
  await kept.run(body); // store-1 cannot be emptied
  emptied = true;
  await kept.run(body); // store-2, kept
  await kept.run(body); // store-2 again
  await kept.end();
  assert.deepEqual(seen, [
    ['store-1', false],
    ['store-2', false],
    ['store-2', true],
  ]);
  assert.deepEqual(destroyed, ['store-1', 'store-2']);
});

// The backend a cucumber run checks: chosen by world parameters ({ backend } or { store }), set up once
// (beforeAll) on the first scenario and torn down after the last (BeforeAll cannot see parameters).

import { AfterAll } from '@cucumber/cucumber';
import type { StoreTestInitializer } from '../../src/harness/initializer.js';
import { loadInitializer } from '../../src/harness/load-initializer.js';
import type { ReferenceInitializer } from '../../src/harness/reference-backends.js';
import { isReferenceBackend, referenceBackend } from '../../src/harness/registry.js';

export interface SuiteParameters {
  /** A reference backend: filesystem, sqlite, postgres. */
  backend?: string;
  /** Path of an initializer module (`wfstore conformance --store`). */
  store?: string;
}

export interface Suite {
  name: string;
  initializer: StoreTestInitializer;
  /** Present for the reference backends: where a store keeps its data, for the layout steps. */
  reference: ReferenceInitializer | undefined;
}

let current: Promise<Suite> | undefined;

export function suiteFor(parameters: SuiteParameters): Promise<Suite> {
  current ??= open(parameters);
  return current;
}

async function open(parameters: SuiteParameters): Promise<Suite> {
  let suite: Suite;
  if (parameters.store !== undefined) {
    const initializer = await loadInitializer(parameters.store);
    suite = { name: initializer.name, initializer, reference: undefined };
  } else {
    const name = parameters.backend ?? 'sqlite';
    if (!isReferenceBackend(name)) throw new Error(`world parameter backend: unknown backend "${name}"`);
    const reference = referenceBackend(name, (line) => console.error(line));
    suite = { name, initializer: reference, reference };
  }
  await suite.initializer.beforeAll?.();
  return suite;
}

AfterAll({ timeout: 120_000 }, async () => {
  if (current === undefined) return;
  const suite = await current.catch(() => undefined);
  current = undefined;
  await suite?.initializer.afterAll?.();
});

// Which backends the unit tests run on: all reference backends, or WFSTORE_BACKENDS=sqlite,postgres.

import { after, afterEach, before, beforeEach, describe } from 'node:test';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { BACKEND_NAMES, isBackendName } from '../../src/backends/registry.js';
import { ManualClock, sequentialIds } from '../../src/conformance/support/clock.js';
import { type ReferenceInitializer, referenceBackend } from '../../src/conformance/reference-initializer.js';

/** The reference backends to run on: all, or WFSTORE_BACKENDS=sqlite,postgres. */
export function selectedBackends(): ReferenceInitializer[] {
  const wanted = (process.env.WFSTORE_BACKENDS ?? BACKEND_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return wanted.map((name) => {
    if (!isBackendName(name)) {
      throw new Error(`WFSTORE_BACKENDS: unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
    }
    return referenceBackend(name);
  });
}

export interface StoreContext {
  store: IWorkflowStore;
  clock: ManualClock;
  backend: ReferenceInitializer;
  /** Close the store and open its data again; the context's store becomes the reopened one. */
  reopen(): Promise<IWorkflowStore>;
}

/** One describe block per backend, each test with a fresh store on a manual clock. */
export function forEachBackend(title: string, body: (context: () => StoreContext) => void): void {
  for (const backend of selectedBackends()) {
    describe(`${title} [${backend.name}]`, () => {
      let current: StoreContext | undefined;
      before(async () => backend.beforeAll?.());
      after(async () => backend.afterAll?.());
      beforeEach(async () => {
        const clock = new ManualClock();
        const store = await backend.createStore({ now: clock.now, generateId: sequentialIds() });
        const context: StoreContext = {
          store,
          clock,
          backend,
          async reopen() {
            context.store = await backend.reopenStore!(context.store);
            return context.store;
          },
        };
        current = context;
      });
      afterEach(async () => {
        if (current !== undefined) await backend.destroyStore?.(current.store);
        current = undefined;
      });
      body(() => {
        if (current === undefined) throw new Error('no store outside a test');
        return current;
      });
    });
  }
}

import type { DeterminismOptions, IWorkflowStore } from '../contract/types.js';

/**
 * How a backend is validated: the default export of a module given to `wfstore conformance --store`.
 * See the contract, section "Validating any backend".
 */
export interface StoreTestInitializer {
  /** Shown as the backend's column in reports. */
  name: string;
  /** Start infrastructure once, before the first scenario. */
  beforeAll?: () => Promise<void>;
  /**
   * A fresh, empty, isolated store per scenario. The harness passes a clock and an id source; a store
   * that accepts them (as the reference stores do) lets results be compared exactly across backends.
   */
  createStore: (options?: DeterminismOptions) => Promise<IWorkflowStore>;
  /** Close the store and open the same data again. Without it, durability scenarios are skipped. */
  reopenStore?: (store: IWorkflowStore) => Promise<IWorkflowStore>;
  /** Remove what createStore made (the store may already be closed). */
  destroyStore?: (store: IWorkflowStore) => Promise<void>;
  /** Stop infrastructure, after the last scenario. */
  afterAll?: () => Promise<void>;
}

export function isStoreTestInitializer(value: unknown): value is StoreTestInitializer {
  const v = value as Partial<StoreTestInitializer> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    v.name.length > 0 &&
    typeof v.createStore === 'function' &&
    (['beforeAll', 'reopenStore', 'destroyStore', 'afterAll'] as const).every(
      (k) => v[k] === undefined || typeof v[k] === 'function',
    )
  );
}

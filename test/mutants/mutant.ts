// A mutant is a reference store with exactly one contract rule broken, validated through the same
// initializer path a third party uses. Each mutant file default-exports mutant(name, rule, wrap).

import type { IWorkflowStore } from '../../src/contract/types.js';
import type { StoreTestInitializer } from '../../src/harness/initializer.js';
import { sqliteBackend } from '../../src/harness/reference-backends.js';

export interface Mutant extends StoreTestInitializer {
  /** The contract rule this mutant breaks, in words. */
  rule: string;
}

/** Wraps a real SQLite store: `break` returns the methods to replace. */
export function mutant(name: string, rule: string, override: (store: IWorkflowStore) => Partial<IWorkflowStore>): Mutant {
  const base = sqliteBackend();
  const inner = new WeakMap<IWorkflowStore, IWorkflowStore>();
  const wrap = (store: IWorkflowStore): IWorkflowStore => {
    const wrapped: IWorkflowStore = {
      createWorkflowRun: (i) => store.createWorkflowRun(i),
      getWorkflowRun: (id) => store.getWorkflowRun(id),
      listWorkflowRuns: (o) => store.listWorkflowRuns(o),
      updateWorkflowRun: (id, p, o) => store.updateWorkflowRun(id, p, o),
      deleteWorkflowRun: (id) => store.deleteWorkflowRun(id),
      createWorkflowEvent: (i) => store.createWorkflowEvent(i),
      listWorkflowEvents: (id, o) => store.listWorkflowEvents(id, o),
      getCompletedDagNodeOutputs: (id) => store.getCompletedDagNodeOutputs(id),
      close: () => store.close(),
      ...override(store),
    };
    inner.set(wrapped, store);
    return wrapped;
  };
  const unwrap = (store: IWorkflowStore) => inner.get(store) ?? store;
  return {
    name,
    rule,
    beforeAll: base.beforeAll,
    afterAll: base.afterAll,
    createStore: async (options) => wrap(await base.createStore(options)),
    reopenStore: async (store) => wrap(await base.reopenStore!(unwrap(store))),
    destroyStore: (store) => base.destroyStore!(unwrap(store)),
  };
}

// A mutant is a correct store with exactly one contract rule broken, checked through the same
// initializer path a third party uses. Adding one is one small file that default-exports either
//   wrapMutant(name, rule, store => ({ ...methods to replace }))       — breaks it at the interface, or
//   driverMutant(name, rule, database => new (class extends MemoryDriver { ... })(database))
// both built on the memory backend, which is fast and keeps its data across reopen.

import { defineStore, type StorageDriver } from '../../src/backends/define-store.js';
import { MemoryDatabase, MemoryDriver, type StoredRun } from '../../src/backends/memory/driver.js';
import { createMemoryStore } from '../../src/backends/memory/index.js';
import type { DeterminismOptions, IWorkflowStore } from '../../src/contract/types.js';
import type { StoreTestInitializer } from '../../src/harness/initializer.js';

export { MemoryDriver };

export interface Mutant extends StoreTestInitializer {
  /** The contract rule this mutant breaks. */
  rule: string;
}

function initializer(
  name: string,
  rule: string,
  open: (database: MemoryDatabase, options: DeterminismOptions) => Promise<IWorkflowStore>,
): Mutant {
  const made = new Map<IWorkflowStore, { database: MemoryDatabase; options: DeterminismOptions }>();
  return {
    name,
    rule,
    async createStore(options = {}) {
      const database = new MemoryDatabase();
      const store = await open(database, options);
      made.set(store, { database, options });
      return store;
    },
    async reopenStore(store) {
      const { database, options } = made.get(store)!;
      await store.close();
      made.delete(store);
      const reopened = await open(database, options);
      made.set(reopened, { database, options });
      return reopened;
    },
    async destroyStore(store) {
      await store.close();
      made.delete(store);
    },
  };
}

/** Replaces some methods of a correct memory store. */
export function wrapMutant(
  name: string,
  rule: string,
  override: (store: IWorkflowStore) => Partial<IWorkflowStore>,
): Mutant {
  return initializer(name, rule, async (database, options) => {
    const store = await createMemoryStore({ ...options, database });
    return { ...bound(store), ...override(store) };
  });
}

/** Builds the store with defineStore on a broken driver (validation and the rest stay correct). */
export function driverMutant(name: string, rule: string, driver: (database: MemoryDatabase) => StorageDriver): Mutant {
  return initializer(name, rule, async (database, options) => defineStore(driver(database), options));
}

function bound(store: IWorkflowStore): IWorkflowStore {
  return {
    createWorkflowRun: (input) => store.createWorkflowRun(input),
    getWorkflowRun: (id) => store.getWorkflowRun(id),
    listWorkflowRuns: (options) => store.listWorkflowRuns(options),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch, options),
    deleteWorkflowRun: (id) => store.deleteWorkflowRun(id),
    createWorkflowEvent: (input) => store.createWorkflowEvent(input),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, options),
    getCompletedDagNodeOutputs: (runId) => store.getCompletedDagNodeOutputs(runId),
    close: () => store.close(),
  };
}

/** Lets other work in the process run, as an await on I/O would: where a missing lock shows. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A store whose delete leaves part of a run behind (its events or its outputs), and whose next run of
 * the same id picks it up again. The leftovers are kept with the data, as real ones would be, so they
 * survive a reopen.
 */
export function leftoverMutant(name: string, rule: string, part: 'events' | 'outputs'): Mutant {
  const leftovers = new WeakMap<MemoryDatabase, Map<string, StoredRun['events'] | StoredRun['outputs']>>();
  return driverMutant(name, rule, (db) => {
    if (!leftovers.has(db)) leftovers.set(db, new Map());
    const kept = leftovers.get(db)!;
    return new (class extends MemoryDriver {
      override async deleteRun(id: string) {
        const entry = this.db.runs.get(id);
        if (entry) kept.set(id, entry[part]);
        return super.deleteRun(id);
      }
      override async insertRun(...args: Parameters<MemoryDriver['insertRun']>) {
        const run = await super.insertRun(...args);
        const old = kept.get(run.id);
        if (old) (this.entry(run.id) as unknown as Record<string, unknown>)[part] = old;
        return run;
      }
    })(db);
  });
}

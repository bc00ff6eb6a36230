/**
 * The conformance initializer for the 1.0-era third-party store (./store.ts), pinned to contract 1.0
 * (docs/contract.md, "Validating any backend" and "Versions").
 *
 * Each store gets a fresh Database; reopening closes the store and opens a new one on the same
 * Database. Only `reopen` is declared: the store uses its own clock and ids, and lives in one process.
 */
import type { IWorkflowStore } from '../../../src/contract/types.js';
import type { StoreTestInitializer } from '../../../src/conformance/initializer.js';
import { createThirdPartyStore, Database } from './store.js';

/** Which Database each store was opened on, to reopen or destroy it. */
const databases = new WeakMap<IWorkflowStore, Database>();

function open(database: Database): IWorkflowStore {
  const store = createThirdPartyStore({ database });
  databases.set(store, database);
  return store;
}

function databaseOf(store: IWorkflowStore): Database {
  const database = databases.get(store);
  if (database === undefined) throw new Error('this store was not opened by the third-party initializer');
  return database;
}

const initializer: StoreTestInitializer = {
  name: 'third-party-1.0',
  contract: '1.0',
  about: { name: 'third-party store (1.0 era)', version: '1.0.3' },
  supports: { reopen: true },
  createStore: async () => open(new Database()),
  reopenStore: async (store) => {
    const database = databaseOf(store);
    await store.close();
    return open(database);
  },
  destroyStore: async (store) => {
    const database = databaseOf(store);
    await store.close();
    database.clear();
  },
};

export default initializer;

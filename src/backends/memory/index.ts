import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { optionError, readFactoryOptions } from '../factory-options.js';
import { MemoryDatabase, MemoryDriver } from './driver.js';

export { MemoryDatabase };

export interface MemoryStoreOptions extends DeterminismOptions {
  /**
   * The data to use; default: a new, empty one. Pass the same database to a new store to "reopen"
   * it (it lives as long as the process), or to give several stores one data set.
   */
  database?: MemoryDatabase | undefined;
}

const FACTORY = 'createMemoryStore';

/** A fast store for engine unit tests: the whole contract, nothing on disk, gone with the process. */
export async function createMemoryStore(options: MemoryStoreOptions = {}): Promise<IWorkflowStore> {
  const { own, determinism } = readFactoryOptions(FACTORY, options, ['database']);
  if (own.database !== undefined && !(own.database instanceof MemoryDatabase)) {
    throw optionError(FACTORY, 'database', 'a MemoryDatabase', own.database);
  }
  return defineStore(new MemoryDriver(own.database ?? new MemoryDatabase()), determinism);
}

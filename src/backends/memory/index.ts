import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { MemoryDatabase, MemoryDriver } from './driver.js';

export { MemoryDatabase };

export interface MemoryStoreOptions extends DeterminismOptions {
  /**
   * The data to use; default: a new, empty one. Pass the same database to a new store to "reopen"
   * it (it lives as long as the process), or to give several stores one data set.
   */
  database?: MemoryDatabase | undefined;
}

/** A fast store for engine unit tests: the whole contract, nothing on disk, gone with the process. */
export async function createMemoryStore(options: MemoryStoreOptions = {}): Promise<IWorkflowStore> {
  return defineStore(new MemoryDriver(options.database ?? new MemoryDatabase()), options);
}

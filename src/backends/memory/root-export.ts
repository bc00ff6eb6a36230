// The 0.1.0 root export of this backend, forwarded to wfstore/memory (src/backends/root-forward.ts).

import { forwardFactory, warnMoved } from '../root-forward.js';
import { MemoryDatabase as Database } from './driver.js';
import type * as Entry from './index.js';

/** @deprecated Import it from 'wfstore/memory': `import type { MemoryStoreOptions } from 'wfstore/memory'`. */
export type MemoryStoreOptions = Entry.MemoryStoreOptions;

/**
 * @deprecated Import it from 'wfstore/memory': `import { createMemoryStore } from 'wfstore/memory'`. This forward
 * loads wfstore/memory when called and warns once (DeprecationWarning WFSTORE_ROOT_FACTORY).
 */
export const createMemoryStore = forwardFactory<typeof Entry.createMemoryStore>(
  'createMemoryStore',
  'wfstore/memory',
  async () => (await import('./index.js')).createMemoryStore,
);

/**
 * @deprecated Import it from 'wfstore/memory': `import { MemoryDatabase } from 'wfstore/memory'`. This one is
 * that class, and warns once when first constructed (DeprecationWarning WFSTORE_ROOT_FACTORY).
 */
export class MemoryDatabase extends Database {
  constructor() {
    super();
    warnMoved('MemoryDatabase', 'wfstore/memory');
  }
}

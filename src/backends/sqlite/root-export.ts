// The 0.1.0 root export of this backend, forwarded to wfstore/sqlite (src/backends/root-forward.ts).

import { forwardFactory } from '../root-forward.js';
import type * as Entry from './index.js';

/** @deprecated Import it from 'wfstore/sqlite': `import type { SqliteStoreOptions } from 'wfstore/sqlite'`. */
export type SqliteStoreOptions = Entry.SqliteStoreOptions;

/**
 * @deprecated Import it from 'wfstore/sqlite': `import { createSqliteStore } from 'wfstore/sqlite'`. This forward
 * loads wfstore/sqlite when called and warns once (DeprecationWarning WFSTORE_ROOT_FACTORY).
 */
export const createSqliteStore = forwardFactory<typeof Entry.createSqliteStore>(
  'createSqliteStore',
  'wfstore/sqlite',
  async () => (await import('./index.js')).createSqliteStore,
);

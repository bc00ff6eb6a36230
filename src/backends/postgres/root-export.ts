// The 0.1.0 root export of this backend, forwarded to wfstore/postgres (src/backends/root-forward.ts).

import { forwardFactory } from '../root-forward.js';
import type * as Entry from './index.js';

/** @deprecated Import it from 'wfstore/postgres': `import type { PostgresStoreOptions } from 'wfstore/postgres'`. */
export type PostgresStoreOptions = Entry.PostgresStoreOptions;

/**
 * @deprecated Import it from 'wfstore/postgres': `import { createPostgresStore } from 'wfstore/postgres'`. This forward
 * loads wfstore/postgres when called and warns once (DeprecationWarning WFSTORE_ROOT_FACTORY).
 */
export const createPostgresStore = forwardFactory<typeof Entry.createPostgresStore>(
  'createPostgresStore',
  'wfstore/postgres',
  async () => (await import('./index.js')).createPostgresStore,
);

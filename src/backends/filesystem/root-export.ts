// The 0.1.0 root export of this backend, forwarded to wfstore/filesystem (src/backends/root-forward.ts).

import { forwardFactory } from '../root-forward.js';
import type * as Entry from './index.js';

/**
 * @deprecated Import it from 'wfstore/filesystem':
 * `import type { FilesystemStoreOptions } from 'wfstore/filesystem'`.
 */
export type FilesystemStoreOptions = Entry.FilesystemStoreOptions;

/**
 * @deprecated Import it from 'wfstore/filesystem': `import { createFilesystemStore } from 'wfstore/filesystem'`.
 * This forward loads wfstore/filesystem when called and warns once (DeprecationWarning WFSTORE_ROOT_FACTORY).
 */
export const createFilesystemStore = forwardFactory<typeof Entry.createFilesystemStore>(
  'createFilesystemStore',
  'wfstore/filesystem',
  async () => (await import('./index.js')).createFilesystemStore,
);

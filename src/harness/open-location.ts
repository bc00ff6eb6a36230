import { createFilesystemStore } from '../backends/filesystem/index.js';
import { createPostgresStore } from '../backends/postgres/index.js';
import { createSqliteStore } from '../backends/sqlite/index.js';
import type { IWorkflowStore, JsonValue } from '../contract/types.js';
import { loadInitializer } from './load-initializer.js';
import type { StoreAddress } from './processes.js';
import type { StoreLocation } from './reference-backends.js';

/** Opens a reference store on data that already exists, e.g. from another process. */
export function openLocation(location: StoreLocation): Promise<IWorkflowStore> {
  switch (location.backend) {
    case 'filesystem':
      return createFilesystemStore({ artifactsDir: location.artifactsDir });
    case 'sqlite':
      return createSqliteStore({ filename: location.filename });
    case 'postgres':
      return createPostgresStore({
        connectionString: location.connectionString,
        schema: location.schema,
        maxConnections: 1,
      });
    default:
      throw new Error(`a ${location.backend} store cannot be opened from another process`);
  }
}

/** The address of a reference store, for a child process. */
export function referenceAddress(location: StoreLocation): StoreAddress {
  return { source: { reference: location.backend }, location: location as unknown as JsonValue };
}

/** Opens, in a child process, the store another process described: through its initializer's multiProcess. */
export async function openAddress(address: StoreAddress): Promise<IWorkflowStore> {
  if ('reference' in address.source) return openLocation(address.location as unknown as StoreLocation);
  const initializer = await loadInitializer(address.source.module);
  const support = initializer.supports?.multiProcess;
  if (support === undefined) throw new Error(`the initializer "${initializer.name}" has no supports.multiProcess`);
  return support.open(address.location);
}

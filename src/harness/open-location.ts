import { createFilesystemStore } from '../backends/filesystem/index.js';
import { createPostgresStore } from '../backends/postgres/index.js';
import { createSqliteStore } from '../backends/sqlite/index.js';
import type { IWorkflowStore } from '../contract/types.js';
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

import { createFilesystemStore } from '../../src/backends/filesystem/index.js';
import { createPostgresStore } from '../../src/backends/postgres/index.js';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import type { IWorkflowStore } from '../../src/contract/types.js';

/** Opens a reference store on existing data: a directory, a database file, or a connection URL#schema. */
export async function openStoreAt(backend: string, location: string): Promise<IWorkflowStore> {
  switch (backend) {
    case 'filesystem':
      return createFilesystemStore({ artifactsDir: location });
    case 'sqlite':
      return createSqliteStore({ filename: location });
    case 'postgres': {
      const [connectionString, schema] = location.split('#');
      return createPostgresStore({ connectionString, schema, maxConnections: 1 });
    }
    default:
      throw new Error(`openStoreAt: unknown backend ${backend}`);
  }
}

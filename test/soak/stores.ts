// How the soak opens each backend, and where it reads how long this process waited for a lock.

import { createFilesystemStore } from '../../src/backends/filesystem/index.js';
import { takeLongestRunLockWait } from '../../src/backends/filesystem/locks/run-lock.js';
import { createPostgresStore } from '../../src/backends/postgres/index.js';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import { takeLongestSqliteLockWait } from '../../src/backends/sqlite/group-commit.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import type { WorkerConfig } from './journal.js';

/**
 * The workers' bound on a statement, also the cluster's own `statement_timeout`: through a pooler the store's
 * cancel request can miss a statement the pooler had not yet handed to the server, and the server's own bound
 * is then what ends it.
 */
export const STATEMENT_TIMEOUT_MS = 5000;

export const SCHEMA = 'soak';

/** `name` shows in pg_stat_activity as application_name, so the server's count of connections is per worker. */
export function openSoakStore(
  backend: WorkerConfig['backend'],
  location: string,
  name: string,
  schema = SCHEMA,
): Promise<IWorkflowStore> {
  switch (backend) {
    case 'postgres': {
      const url = new URL(location);
      url.searchParams.set('application_name', name);
      // Short bounds: a restart should show as errors within seconds, not as calls hanging for half a minute.
      return createPostgresStore({
        connectionString: url.href,
        schema,
        maxConnections: 8,
        connectTimeoutMs: 3000,
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
      });
    }
    case 'sqlite':
      return createSqliteStore({ filename: location });
    case 'filesystem':
      return createFilesystemStore({ artifactsDir: location });
  }
}

/** The longest this process waited for a run's or the database's lock since the last call, in ms. */
export function lockWaitProbe(backend: WorkerConfig['backend']): number {
  switch (backend) {
    case 'postgres':
      return 0; // row locks wait in the server: seen as call latency
    case 'sqlite':
      return takeLongestSqliteLockWait();
    case 'filesystem':
      return takeLongestRunLockWait();
  }
}

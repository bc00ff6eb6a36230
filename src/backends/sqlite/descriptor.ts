import { existsSync } from 'node:fs';
import path from 'node:path';
import { descriptor, pathOf } from '../descriptor.js';

export type SqliteLocation = { filename: string };

export const sqlite = descriptor<SqliteLocation>({
  name: 'sqlite',
  // One database file; its directory holds the WAL beside it.
  locationIn: (dir) => ({ filename: path.join(dir, 'workflows.db') }),
  describe: ({ filename }) => `the SQLite database ${filename}`,
  url: { schemes: ['sqlite'], form: 'sqlite:<file>' },
  fromUrl: (url) => ({ filename: pathOf(url, 'sqlite') }),
  missing: async ({ filename }) => (existsSync(filename) ? undefined : `the file ${filename} does not exist`),
  driverPackage: 'better-sqlite3',
  load: async () => (await import('./index.js')).createSqliteStore as never,
  verify: async (location, options) => (await import('./index.js')).verifySqliteStore(location, options),
  supports: { clock: true, ids: true, reopen: true, multiProcess: true },
  // WAL without an fsync per commit: survives a process kill, not a power loss.
  relaxed: { options: { synchronous: 'normal' }, label: 'synchronous=normal' },
});

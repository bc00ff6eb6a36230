import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { descriptor, pathOf } from '../descriptor.js';
import { scratchDirectory } from '../scratch.js';

export type SqliteLocation = { filename: string };

export const BETTER_SQLITE3 = { package: 'better-sqlite3', install: 'better-sqlite3@12' };

/** One database file in `dir`; the directory holds the WAL beside it. */
const fileIn = (dir: string): SqliteLocation => ({ filename: path.join(dir, 'workflows.db') });

export const sqlite = descriptor<SqliteLocation>({
  name: 'sqlite',
  label: 'SQLite',
  locationIn: fileIn,
  scratch() {
    const dirs = scratchDirectory('wfstore-sqlite-');
    return {
      newLocation: async () => fileIn(await dirs.next()),
      remove: ({ filename }) => fs.rm(path.dirname(filename), { recursive: true, force: true }),
      tearDown: () => dirs.removeAll(),
    };
  },
  describe: ({ filename }) => `the SQLite database ${filename}`,
  url: { schemes: ['sqlite'], form: 'sqlite:<file>', extensions: ['.db', '.sqlite', '.sqlite3'] },
  fromUrl: (url) => ({ filename: pathOf(url, 'sqlite') }),
  missing: async ({ filename }) => (existsSync(filename) ? undefined : `the file ${filename} does not exist`),
  driver: BETTER_SQLITE3,
  alsoUses: [],
  version: async () => (await import('./version.js')).sqliteVersion(),
  load: async () => (await import('./index.js')).createSqliteStore as never,
  verify: async (location, options) => (await import('./index.js')).verifySqliteStore(location, options),
  supports: { clock: true, ids: true, reopen: true, alongside: true, multiProcess: true, permanent: true },
  // WAL without an fsync per commit: survives a process kill, not a power loss.
  relaxed: { options: { synchronous: 'normal' }, label: 'synchronous=normal' },
});

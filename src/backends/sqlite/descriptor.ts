import path from 'node:path';
import { descriptor } from '../descriptor.js';

export interface SqliteLocation {
  [key: string]: string;
  filename: string;
}

export const sqlite = descriptor<SqliteLocation>({
  name: 'sqlite',
  driverPackage: 'better-sqlite3',
  supports: { clock: true, ids: true, reopen: true, multiProcess: true },
  async open(location, options = {}) {
    const { createSqliteStore } = await import('./index.js');
    return createSqliteStore({ ...options, filename: location.filename });
  },
  describe: (location) => `the SQLite database ${location.filename}`,
  locationIn: (dir) => ({ filename: path.join(dir, 'workflows.db') }),
  relaxed: { options: { synchronous: 'normal' }, label: 'synchronous=normal' },
});

import { randomBytes } from 'node:crypto';
import { descriptor } from '../descriptor.js';
import { MemoryDatabase } from './driver.js';

/** Memory data lives in this process: a location names one of its databases. */
export type MemoryLocation = { database: string };

const databases = new Map<string, MemoryDatabase>();

/** The database a location names, made on first use (reopening a memory store = the same name). */
export function memoryDatabase(name: string): MemoryDatabase {
  let database = databases.get(name);
  if (database === undefined) {
    database = new MemoryDatabase();
    databases.set(name, database);
  }
  return database;
}

/** Forgets a named database (its data goes with it). */
export function dropMemoryDatabase(name: string): void {
  databases.delete(name);
}

export const memory = descriptor<MemoryLocation>({
  name: 'memory',
  label: 'memory',
  driver: undefined,
  alsoUses: [],
  supports: { clock: true, ids: true, reopen: true, alongside: true, multiProcess: false, permanent: false },
  load: async () => (await import('./index.js')).createMemoryStore as never,
  toOptions: (location) => ({ database: memoryDatabase(location.database) }),
  describe: (location) => `memory database "${location.database}" of this process`,
  url: { schemes: ['memory'], form: 'memory:[<name>]' },
  fromUrl: (url) => ({ database: url.slice('memory:'.length) || 'default' }),
  missing: async ({ database }) =>
    databases.has(database) ? undefined : 'a memory store lives in one process; this one is new and empty',
  // A name, not a folder: memory data lives in the process.
  locationIn: (dir) => ({ database: dir }),
  scratch: () => ({
    newLocation: async () => ({ database: `store-${randomBytes(6).toString('hex')}` }),
    remove: async ({ database }) => dropMemoryDatabase(database),
  }),
  relaxed: undefined,
});

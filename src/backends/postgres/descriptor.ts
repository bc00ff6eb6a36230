import { descriptor } from '../descriptor.js';

export type PostgresLocation = { connectionString: string; schema: string };

/** The server of a libpq URL, without its password. */
export function serverOf(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'a PostgreSQL server';
  }
}

export const postgres = descriptor<PostgresLocation>({
  name: 'postgres',
  driverPackage: 'pg',
  supports: { clock: true, ids: true, reopen: true, multiProcess: true },
  load: async () => (await import('./index.js')).createPostgresStore as never,
  describe: (location) => `schema "${location.schema}" on ${serverOf(location.connectionString)}`,
  locationIn: () => undefined,
  verify: async (location, options) => (await import('./index.js')).verifyPostgresStore(location, options),
  // Set on the server (synchronous_commit), not by the store.
  relaxed: undefined,
});

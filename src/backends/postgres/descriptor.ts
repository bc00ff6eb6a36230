import { descriptor } from '../descriptor.js';
import { postgresScratch } from './scratch.js';
import { oneTypoApart } from '../typo.js';

export type PostgresLocation = { connectionString: string; schema: string };

export const PG = { package: 'pg', install: 'pg@8' };

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
  label: 'PostgreSQL',
  driver: PG,
  // REQ-POSTGRES compares it with SQLite.
  alsoUses: ['sqlite'],
  supports: { clock: true, ids: true, reopen: true, alongside: true, multiProcess: true, permanent: true },
  load: async () => (await import('./index.js')).createPostgresStore as never,
  describe: (location) => `schema "${location.schema}" on ${serverOf(location.connectionString)}`,
  url: {
    schemes: ['postgres', 'postgresql'],
    form: 'postgres://user@host:port/database?schema=<name> (or postgresql://)',
  },
  fromUrl(url) {
    const parsed = new URL(url);
    if (parsed.pathname === '' || parsed.pathname === '/') throw new Error('it names no database: add /<database>');
    const typo = [...parsed.searchParams.keys()].find((key) => oneTypoApart(key, 'schema'));
    if (typo !== undefined) throw new Error(`"${typo}" is not a parameter; did you mean "schema"?`);
    const schema = parsed.searchParams.get('schema') ?? 'public';
    parsed.searchParams.delete('schema');
    return { connectionString: parsed.toString(), schema };
  },
  missing: async (location) => (await import('./exists.js')).missingSchema(location),
  locationIn: () => undefined,
  scratch: (log) => postgresScratch(log),
  verify: async (location, options) => (await import('./index.js')).verifyPostgresStore(location, options),
  // Set on the server (synchronous_commit), not by the store.
  relaxed: undefined,
});

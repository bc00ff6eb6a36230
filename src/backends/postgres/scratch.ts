// Throwaway PostgreSQL stores: one server for all of them (WFSTORE_PG_URL, a container or embedded, as
// src/testing/postgres/provision.ts chooses), one schema per store: emptied and reused by a later store when
// it is as fresh, else dropped (src/testing/postgres/schema-pool.ts).

import type { ProvisionedPostgres } from '../../testing/postgres/provision.js';
import type { ReusedSchemas } from '../../testing/postgres/schema-pool.js';
import type { Scratch } from '../scratch.js';
import type { PostgresLocation } from './descriptor.js';

export function postgresScratch(log: (line: string) => void): Scratch<PostgresLocation> {
  let server: ProvisionedPostgres | undefined;
  let schemas: ReusedSchemas | undefined;
  const ready = () => {
    if (server === undefined || schemas === undefined) throw new Error('postgres: setUp() has not run');
    return { server, schemas };
  };
  return {
    async setUp() {
      const { provisionPostgres } = await import('../../testing/postgres/provision.js');
      const { ReusedSchemas } = await import('../../testing/postgres/schema-pool.js');
      server = await provisionPostgres({ log });
      schemas = new ReusedSchemas(server.connectionString);
    },
    async tearDown() {
      await schemas?.end();
      await server?.stop();
      server = schemas = undefined;
    },
    newLocation: async () => ({
      connectionString: ready().server.connectionString,
      schema: await ready().schemas.take(),
    }),
    opened: (location) => ready().schemas.opened(location.schema),
    remove: async (location) => ready().schemas.release(location.schema),
    settings: { maxConnections: 4 },
  };
}

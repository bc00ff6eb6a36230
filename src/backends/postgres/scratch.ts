// Throwaway PostgreSQL stores: one server for all of them (WFSTORE_PG_URL, a container or embedded, as
// src/testing/postgres/provision.ts chooses), one schema per store, dropped afterwards.

import type { ProvisionedPostgres } from '../../testing/postgres/provision.js';
import type { ThrowawaySchemas } from '../../testing/postgres/schemas.js';
import type { Scratch } from '../scratch.js';
import type { PostgresLocation } from './descriptor.js';

export function postgresScratch(log: (line: string) => void): Scratch<PostgresLocation> {
  let server: ProvisionedPostgres | undefined;
  let schemas: ThrowawaySchemas | undefined;
  const ready = () => {
    if (server === undefined || schemas === undefined) throw new Error('postgres: setUp() has not run');
    return { server, schemas };
  };
  return {
    async setUp() {
      const { provisionPostgres } = await import('../../testing/postgres/provision.js');
      const { ThrowawaySchemas } = await import('../../testing/postgres/schemas.js');
      server = await provisionPostgres({ log });
      schemas = new ThrowawaySchemas(server.connectionString);
    },
    async tearDown() {
      await schemas?.end();
      await server?.stop();
      server = schemas = undefined;
    },
    newLocation: async () => ({ connectionString: ready().server.connectionString, schema: ready().schemas.newName() }),
    remove: (location) => ready().schemas.drop(location.schema),
    settings: { maxConnections: 4 },
  };
}

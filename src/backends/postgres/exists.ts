// Whether a schema holds a wfstore store, asked without creating anything (a store opened on a schema
// creates its tables).

import pg from './pg.js';
import { serverOf } from './descriptor.js';

export async function missingSchema(location: {
  connectionString: string;
  schema: string;
}): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: location.connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const table = `${client.escapeIdentifier(location.schema)}.workflow_runs`;
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [table]);
    if (rows[0]?.found) return undefined;
    return `schema "${location.schema}" on ${serverOf(location.connectionString)} holds no wfstore tables`;
  } finally {
    await client.end();
  }
}

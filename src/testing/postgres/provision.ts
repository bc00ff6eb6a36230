// One function that yields a PostgreSQL for tests and the matrix, saying which way it took.

import pg from 'pg';
import {
  choosePostgres,
  NoPostgresError,
  urlFromEnvironment,
  type PostgresProbes,
  type PostgresWay,
} from './choose.js';
import { startContainerPostgres } from './container.js';
import { type EmbeddedOptions, startEmbeddedPostgres } from './embedded.js';
import { dockerAnswers, embeddedInstalled } from './probes.js';

export interface ProvisionedPostgres {
  way: PostgresWay;
  reason: string;
  connectionString: string;
  /** `SHOW server_version` */
  serverVersion: string;
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Replace the real probes (tests of the choice). */
  probes?: Partial<PostgresProbes>;
  /** Where the embedded way finds and caches its binaries (tests: binaries in a private directory). */
  embedded?: Omit<EmbeddedOptions, 'log'>;
}

export async function provisionPostgres(options: ProvisionOptions = {}): Promise<ProvisionedPostgres> {
  const log = options.log ?? ((line: string) => console.error(line));
  const choice = await choosePostgres({
    url: urlFromEnvironment(options.env ?? process.env),
    dockerAnswers: () => dockerAnswers(),
    embeddedInstalled,
    ...options.probes,
  });
  log(`postgres: ${choice.reason}`);
  let connectionString: string;
  let stop: () => Promise<void>;
  try {
    switch (choice.way) {
      case 'url':
        connectionString = urlFromEnvironment(options.env ?? process.env)!;
        stop = async () => {};
        break;
      case 'testcontainers':
        ({ connectionString, stop } = await startContainerPostgres());
        break;
      case 'embedded':
        ({ connectionString, stop } = await startEmbeddedPostgres({ ...options.embedded, log }));
        break;
    }
  } catch (error) {
    // One error for every way that fails to start: what happened, and the other ways to get a PostgreSQL.
    throw new NoPostgresError(`Here: ${choice.reason}, which failed: ${(error as Error).message}`);
  }
  let serverVersion: string;
  try {
    serverVersion = await queryServerVersion(connectionString);
  } catch (error) {
    await stop();
    throw new Error(`postgres (${choice.way}): cannot connect: ${(error as Error).message}`, { cause: error });
  }
  log(`postgres: PostgreSQL ${serverVersion} ready`);
  return { way: choice.way, reason: choice.reason, connectionString, serverVersion, stop };
}

export async function queryServerVersion(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

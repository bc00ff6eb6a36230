// The optional phase through PgBouncer: the PostgreSQL soak again with the workers connected through a
// pooler in transaction mode, paused and resumed once mid-phase. It runs only when a `pgbouncer` binary is on
// the PATH and the pooler's provisioning (src/testing/postgres/pgbouncer.ts) exports startPgBouncer with
// the shape below; otherwise the phase is reported as not run, with the reason.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhaseResult } from './analyse.js';
import type { SoakCluster } from './cluster.js';

/** What the soak needs of the pooler's module. */
interface PgBouncer {
  connectionString: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}
type StartPgBouncer = (options: { upstream: string }) => Promise<PgBouncer>;

const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/testing/postgres/pgbouncer.ts');

function binaryFound(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v pgbouncer'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function pgbouncerPhase(
  cluster: SoakCluster,
  run: (via: {
    name: string;
    connectionString: string;
    pause(): Promise<{ at: number; until: number }>;
  }) => Promise<PhaseResult>,
): Promise<{ result: PhaseResult } | { skipped: string }> {
  if (!binaryFound()) return { skipped: 'no pgbouncer binary on the PATH (apt-get install -y pgbouncer)' };
  if (!existsSync(MODULE)) return { skipped: 'src/testing/postgres/pgbouncer.ts is not on this branch yet' };
  const loaded = (await import(MODULE)) as { startPgBouncer?: unknown };
  if (typeof loaded.startPgBouncer !== 'function') {
    return { skipped: 'src/testing/postgres/pgbouncer.ts does not export startPgBouncer({ upstream })' };
  }
  const bouncer = await (loaded.startPgBouncer as StartPgBouncer)({ upstream: cluster.connectionString });
  try {
    const result = await run({
      name: 'pgbouncer',
      connectionString: bouncer.connectionString,
      async pause() {
        const at = Date.now();
        await bouncer.pause();
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await bouncer.resume();
        return { at, until: Date.now() };
      },
    });
    return { result };
  } finally {
    await bouncer.stop();
  }
}

import { spawn } from 'node:child_process';
import { fromEnvironment } from '../../config.js';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from '../../contract/types.js';
import { type ContractVersion, LATEST_CONTRACT } from '../../contract/versions.js';
import { bundledWorker, WORKERS_VARIABLE, type WorkerName } from './worker-bundle.js';

/** How a child process finds the initializer of the store to open: a reference backend, or a module. */
export type StoreSource = { reference: string } | { module: string };

/** What a child process is told: which initializer, and where its store's data is. */
export interface StoreAddress {
  source: StoreSource;
  location: JsonValue;
}

/**
 * The arguments that start a worker: its compiled module when the matrix compiled them for this run
 * (worker-bundle.ts), else its file (.ts from the source, .js in the installed package) through tsx.
 */
function workerArguments(name: WorkerName): string[] {
  const bundled = fromEnvironment(WORKERS_VARIABLE);
  if (bundled) return [bundledWorker(bundled, name)];
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return ['--import', 'tsx', fileURLToPath(new URL(`./${name}${extension}`, import.meta.url))];
}

export interface AppendTiming {
  /** When the append loops started (all at once), and when the last one ended, epoch ms. */
  started: number;
  ended: number;
}

/**
 * Runs `workers` processes, each appending `count` events to one run of the store at `address`.
 * With `startAt` (epoch ms) the loops wait for that instant, so the timing leaves start-up out.
 */
export async function appendFromProcesses(
  address: StoreAddress,
  runId: string,
  workers: number,
  count: number,
  padding = 0,
  startAt?: number,
): Promise<AppendTiming> {
  const worker = workerArguments('append-worker');
  const timings = await Promise.all(
    Array.from(
      { length: workers },
      (_, n) =>
        new Promise<AppendTiming>((resolve, reject) => {
          const args = [
            JSON.stringify(address),
            runId,
            String(count),
            String(n),
            String(padding),
            ...(startAt === undefined ? [] : [String(startAt)]),
          ];
          const child = spawn(process.execPath, [...worker, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('error', reject);
          child.on('exit', (code) =>
            code === 0
              ? resolve(JSON.parse(stdout.trim()) as AppendTiming)
              : reject(new Error(`appending process ${n} exited with ${code}: ${stderr.trim()}`)),
          );
        }),
    ),
  );
  return { started: Math.min(...timings.map((t) => t.started)), ended: Math.max(...timings.map((t) => t.ended)) };
}

/**
 * Starts "three-steps" on the store at `address` in a child process (its engine told the contract version), waits until `untilNode` has
 * completed (read from the event log through `store`), then kills the child with SIGKILL.
 */
export async function runThenKill(
  address: StoreAddress,
  runId: string,
  isCompleted: () => Promise<boolean>,
  timeoutMs = 60_000,
  contract: ContractVersion = LATEST_CONTRACT,
): Promise<void> {
  const args = [...workerArguments('engine-worker'), JSON.stringify(address), runId, contract];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(
          `the workflow process ended on its own (${child.exitCode}) before it was killed: ${stderr.trim()}`,
        );
      if (await isCompleted().catch(() => false)) break;
      if (Date.now() > deadline)
        throw new Error(`the workflow process did not get far enough in ${timeoutMs} ms: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Runs a reader of `runId` in another process while `write` runs here; returns what it saw. The reader
 * starts before the writes and stops after them.
 */
export async function readFromProcess(
  address: StoreAddress,
  runId: string,
  write: () => Promise<void>,
): Promise<{ reads: number; violations: string[] }> {
  const child = spawn(process.execPath, [...workerArguments('reader-worker'), JSON.stringify(address), runId], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the reader process exited with ${code}: ${stderr.trim()}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await ready;
    await write();
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`the reader process failed (${code}): ${stderr.trim()}`);
  return JSON.parse(last) as { reads: number; violations: string[] };
}

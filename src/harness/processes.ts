import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from './reference-backends.js';

/** Runs `workers` processes, each appending `count` events to one run of the store at `location`. */
export async function appendFromProcesses(location: StoreLocation, runId: string, workers: number, count: number): Promise<void> {
  const worker = fileURLToPath(new URL(`./append-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  await Promise.all(
    Array.from({ length: workers }, (_, n) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(location), runId, String(count), String(n)], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`appending process ${n} exited with ${code}: ${stderr.trim()}`))));
      }),
    ),
  );
}

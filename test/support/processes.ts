import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));

/** Runs `workers` processes, each appending `count` events to one run, and waits for all of them. */
export async function appendFromProcesses(backend: string, location: string, runId: string, workers: number, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, (_, worker) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', WORKER, backend, location, runId, String(count), String(worker)], {
          stdio: ['ignore', 'inherit', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${worker} exited with ${code}: ${stderr}`))));
      }),
    ),
  );
}

// Starts test/support/fs-reader.ts in another process on a filesystem store's run.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const READER = fileURLToPath(new URL('./fs-reader.ts', import.meta.url));

export interface ReaderReport {
  checks: number;
  problems: string[];
}

/** Starts the reader; resolves once it polls, and gives what it reports at the end. */
export async function startReader(
  mode: string,
  artifactsDir: string,
  runId: string,
  ...more: string[]
): Promise<() => Promise<ReaderReport>> {
  const child = spawn(process.execPath, ['--import', 'tsx', READER, mode, artifactsDir, runId, ...more], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`the reader exited (${code}) before polling: ${stderr}`)));
  });
  return async () => {
    const code = await exited;
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout.slice('ready\n'.length)) as ReaderReport;
  };
}

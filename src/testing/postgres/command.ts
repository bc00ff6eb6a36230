// Runs a program to completion, as another user when asked. Every failure, including one to start it at all
// (EACCES, ENOENT), is a rejected promise that names the program: never an unhandled 'error' event.

import { spawn } from 'node:child_process';

export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface CommandOptions {
  runAs?: RunAs | undefined;
  /** A directory the program's user can reach (a child keeps its parent's, which may be private). */
  cwd: string;
}

/** Resolves with the program's output (stdout and stderr together) when it exits 0. */
export function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    // English messages whatever the machine's locale, so that errors read the same everywhere.
    const env = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
    const user = options.runAs === undefined ? '' : ` as user ${options.runAs.name}`;
    let output = '';
    const child = spawn(file, args, {
      cwd: options.cwd,
      env,
      uid: options.runAs?.uid,
      gid: options.runAs?.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', (error) => reject(new Error(`could not run ${file}${user}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${file}${user} failed (${signal ?? `exit ${code}`}): ${tail(output)}`));
    });
  });
}

/** The last lines of a program's output, enough to see why it failed. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

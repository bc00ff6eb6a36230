// Runs cucumber for one column of the matrix in a child process, reading its message stream as it
// comes: progress for the terminal, results for the report, and the stream saved as NDJSON.

import type { Envelope } from '@cucumber/messages';
import { spawn } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledPreload, fromSource } from './support/worker-bundle.js';
import { RunResults, type ScenarioResult } from './results.js';

export interface ColumnRun {
  /** Column name in the report: the backend or the initializer's name. */
  name: string;
  /** Which store the World opens: { backend } or { store }, merged with the run's own parameters. */
  worldParameters: Record<string, unknown>;
  /** A tag expression leaving out what does not apply to this column ('' for nothing). */
  tags: string;
  /** Environment of this column alone, over the run's (a major's PostgreSQL URL). */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface ColumnRunOptions {
  packageRoot: string;
  /** This column's report folder. */
  dir: string;
  env: NodeJS.ProcessEnv;
  tags?: string | undefined;
  name?: string | undefined;
  /** World parameters for every column (call timeout, property settings). */
  worldParameters?: Record<string, unknown> | undefined;
  onScenario?: (key: string, result: ScenarioResult) => void;
  /** Stops the column's cucumber process (an interrupted run). */
  signal?: AbortSignal | undefined;
  /**
   * A cucumber config whose default profile runs the features with compiled steps (worker-bundle.ts);
   * default: cucumber.js's base profile, which loads the steps through tsx from the source.
   */
  config?: string | undefined;
}

export interface ColumnOutcome {
  results: RunResults;
  exitCode: number;
  /** The child's stderr, kept for when it failed outside any scenario. */
  stderr: string;
  durationMs: number;
  /** The run was stopped from outside (its signal aborted). */
  interrupted: boolean;
  files: { html: string; messages: string; junit: string; stderr: string };
}

export function cucumberBin(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');
}

/**
 * The module a column's node loads before cucumber (support/match-indices.ts): compiled beside this run's
 * config, or the package's own when it runs compiled; none when the harness runs through tsx.
 */
function preloadArguments(config: string | undefined): string[] {
  const preload =
    config !== undefined
      ? bundledPreload(config)
      : fromSource
        ? undefined
        : fileURLToPath(new URL('./support/match-indices.js', import.meta.url));
  return preload === undefined ? [] : ['--import', pathToFileURL(preload).href];
}

/** cucumber-js's arguments for a column: its profile (or this run's compiled config), world, formats and tags. */
function cucumberArguments(column: ColumnRun, options: ColumnRunOptions, files: ColumnOutcome['files']): string[] {
  const cucumber =
    options.config === undefined
      ? [cucumberBin(), '--config', 'cucumber.js', '--profile', 'base'] // relative to cwd, the package root
      : // cucumber reads --config relative to cwd, whatever its form
        ['--enable-source-maps', cucumberBin(), '--config', path.relative(options.packageRoot, options.config)];
  return [
    ...preloadArguments(options.config),
    ...cucumber,
    '--world-parameters',
    JSON.stringify({ ...options.worldParameters, ...column.worldParameters }),
    '--format',
    'message',
    '--format',
    `html:${files.html}`,
    '--format',
    `junit:${files.junit}`,
    ...tagArguments(column.tags, options.tags),
    ...(options.name ? ['--name', options.name] : []),
  ];
}

export async function runColumn(column: ColumnRun, options: ColumnRunOptions): Promise<ColumnOutcome> {
  await fs.mkdir(options.dir, { recursive: true });
  const files = {
    html: path.join(options.dir, 'cucumber.html'),
    messages: path.join(options.dir, 'messages.ndjson'),
    junit: path.join(options.dir, 'junit.xml'),
    stderr: path.join(options.dir, 'stderr.log'),
  };
  const args = cucumberArguments(column, options, files);
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: options.packageRoot,
    env: { ...options.env, ...column.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const results = new RunResults();
  const ndjson = createWriteStream(files.messages);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const saved = linesTo(ndjson);
  lines.on('line', (line) => {
    saved.write(line);
    if (!line.startsWith('{')) return;
    const finished = results.add(JSON.parse(line) as Envelope);
    if (finished) options.onScenario?.(finished.key, finished.result);
  });
  const stop = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  options.signal?.removeEventListener('abort', stop);
  await saved.end();
  await fs.writeFile(files.stderr, stderr);
  return {
    results,
    exitCode,
    stderr,
    durationMs: Date.now() - started,
    interrupted: options.signal?.aborted ?? false,
    files,
  };
}

/**
 * Lines for a file stream, written 64 KiB at a time or after 100 ms: one write per line (thousands per column,
 * each envelope of cucumber's output comes alone) cost the matrix's own process more CPU than parsing them.
 */
function linesTo(stream: WriteStream) {
  let pending: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) stream.write(pending.join(''));
    pending = [];
    size = 0;
  };
  return {
    write(line: string): void {
      pending.push(`${line}\n`);
      size += line.length + 1;
      if (size >= 65_536) flush();
      else timer ??= setTimeout(flush, 100).unref();
    },
    end: () =>
      new Promise<void>((resolve) => {
        flush();
        stream.end(resolve);
      }),
  };
}

/** The column's own exclusions and the user's selection, both applied. */
function tagArguments(column: string, user: string | undefined): string[] {
  const parts = [column, user ?? ''].filter((t) => t.trim() !== '').map((t) => `(${t})`);
  return parts.length === 0 ? [] : ['--tags', parts.join(' and ')];
}

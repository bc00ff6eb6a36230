// The harness compiled into plain ES modules, when it runs from its TypeScript source: the child-process
// workers (append, reader, engine), the module a column's cucumber loads first (match-indices.ts), and the step
// definitions with a cucumber config that imports them. A worker then starts as `node worker.mjs`, and a
// column's cucumber without tsx, instead of loading tsx and every source file through its loader thread, which
// costs each worker most of a second of CPU and each column over one. Packages stay outside the bundle, so it
// goes in node_modules/.cache, where they resolve as they do from the source.
//
// A build is kept there under a hash of everything it is made from (every file under src/ and steps/, the
// tsconfig, the feature paths, the folder, esbuild's version and these options): a run whose sources are those
// of an earlier one starts its columns without compiling. Builds not used for a day are removed.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The variable a column's processes read: the folder of the compiled workers (processes.ts). */
export const WORKERS_VARIABLE = 'WFSTORE_WORKERS_DIR';

export const WORKERS = ['append-worker', 'reader-worker', 'engine-worker'] as const;
export type WorkerName = (typeof WORKERS)[number];

/** Whether this module runs from the TypeScript source (a checkout), where workers need compiling. */
export const fromSource = import.meta.url.endsWith('.ts');

export interface BundledWorkers {
  dir: string;
  /** A cucumber config (its default profile: the features, and the compiled steps) for `--config`. */
  config: string;
  /** Called when the run is over: a build stays for the next run (see the file's head). */
  remove(): Promise<void>;
}

/** The node_modules folder esbuild (which comes with tsx) is installed in. */
function nodeModulesOf(file: string): string {
  let dir = path.dirname(file);
  while (path.basename(dir) !== 'node_modules') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${file} is in no node_modules folder`);
    dir = parent;
  }
  return dir;
}

/** Every .ts file under `dir` and its subfolders, sorted: the step definitions the base profile imports. */
async function typeScriptFiles(dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir, { recursive: true })) as string[];
  return names
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name))
    .sort();
}

/** Part of every build's hash: changed with the options below, it makes every earlier build stale. */
const BUILD_FORMAT = 'split-1';
const DAY_MS = 24 * 3_600_000;

/** The hash of what a build is made from (see the file's head). */
async function buildKey(packageRoot: string, features: readonly string[], esbuild: string): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ BUILD_FORMAT, packageRoot, features, esbuild }));
  for (const dir of ['src', 'steps']) {
    const names = ((await fs.readdir(path.join(packageRoot, dir), { recursive: true })) as string[]).sort();
    for (const name of names) {
      const file = path.join(packageRoot, dir, name);
      const content = await fs.readFile(file).catch(() => undefined); // a folder
      if (content !== undefined) hash.update(`\0${file}\0`).update(content);
    }
  }
  hash.update(await fs.readFile(path.join(packageRoot, 'tsconfig.json')).catch(() => Buffer.alloc(0)));
  return hash.digest('hex').slice(0, 20);
}

/**
 * The compiled workers and step definitions, in node_modules/.cache/wfstore-workers: the build of these sources
 * when there is one, else a new one. `features` are the feature paths of the cucumber config's base profile,
 * relative to the package root.
 */
export async function bundleWorkers(packageRoot: string, features: readonly string[]): Promise<BundledWorkers> {
  const esbuild = await import('esbuild');
  const cache = path.join(nodeModulesOf(fileURLToPath(import.meta.resolve('esbuild'))), '.cache', 'wfstore-workers');
  await fs.mkdir(cache, { recursive: true });
  const dir = path.join(cache, `build-${await buildKey(packageRoot, features, esbuild.version)}`);
  const bundle = { dir, config: path.join(dir, 'cucumber.mjs'), remove: async () => {} };
  const now = new Date();
  if (await touched(dir, now)) return bundle;
  // Built aside and renamed into place whole: a run at the same time uses the one that lands first.
  const building = await fs.mkdtemp(path.join(cache, 'tmp-'));
  try {
    await build(esbuild, packageRoot, building);
    const profile = { paths: features, import: [path.join(dir, 'steps.mjs')] };
    await fs.writeFile(path.join(building, 'cucumber.mjs'), `export default ${JSON.stringify(profile, null, 2)};\n`);
    await fs.rename(building, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await fs.stat(path.join(dir, 'cucumber.mjs')).catch(() => undefined))) throw error;
    });
  } finally {
    await fs.rm(building, { recursive: true, force: true });
  }
  await removeStale(cache, now.getTime() - DAY_MS);
  return bundle;
}

/** Marks a build used now (removeStale keeps it); false when there is none. */
async function touched(dir: string, now: Date): Promise<boolean> {
  try {
    await fs.utimes(dir, now, now);
    return true;
  } catch {
    return false;
  }
}

/** Compiles the workers, match-indices.ts and the step definitions into `outdir`. */
async function build(esbuild: typeof import('esbuild'), packageRoot: string, outdir: string): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const steps = await typeScriptFiles(path.join(packageRoot, 'steps'));
  // Split: what a module imports only when called (a backend's driver, PostgreSQL provisioning) stays out of a
  // process until it is, as from the source; in one file, every package would be imported at its start.
  const common = {
    bundle: true,
    splitting: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    outdir,
    outExtension: { '.js': '.mjs' },
  } as const;
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [...WORKERS, MATCH_INDICES].map((name) => path.join(here, `${name}.ts`)),
      chunkNames: 'workers/[name]-[hash]',
    }),
    esbuild.build({
      ...common,
      sourcemap: 'inline', // the steps' failures, in the reports, name .ts lines
      stdin: {
        contents: steps.map((file) => `import ${JSON.stringify(file)};`).join('\n'),
        resolveDir: packageRoot,
        sourcefile: 'steps.ts',
        loader: 'ts',
      },
      entryNames: 'steps',
      chunkNames: 'steps/[name]-[hash]',
    }),
  ]);
}

/** Removes the builds last used before `before`, and what runs left (unfinished builds, an earlier layout's). */
async function removeStale(cache: string, before: number): Promise<void> {
  for (const name of await fs.readdir(cache)) {
    const entry = path.join(cache, name);
    const stat = await fs.stat(entry).catch(() => undefined);
    if (stat !== undefined && stat.mtimeMs < before) await fs.rm(entry, { recursive: true, force: true });
  }
}

/** The module a column's cucumber loads first (match-indices.ts), compiled beside the workers. */
const MATCH_INDICES = 'match-indices';

/** The compiled match-indices module beside a bundle's cucumber config. */
export function bundledPreload(config: string): string {
  return path.join(path.dirname(config), `${MATCH_INDICES}.mjs`);
}

/** The compiled worker in `dir`, as a path for `node`. */
export function bundledWorker(dir: string, name: WorkerName): string {
  return path.join(dir, `${name}.mjs`);
}

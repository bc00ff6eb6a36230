// The harness compiled once per matrix run into plain ES modules, when it runs from its TypeScript source:
// the child-process workers (append, reader, engine), the module a column's cucumber loads first
// (match-indices.ts), and the step definitions with a cucumber config that imports them. A worker then starts as `node worker.mjs`, and a column's cucumber without tsx, instead of
// loading tsx and every source file through its loader thread, which costs each worker most of a second of
// CPU and each column over one. Packages stay outside the bundle, so it goes in node_modules/.cache, where
// they resolve as they do from the source.

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

/**
 * Compiles the workers and the step definitions into a new folder under node_modules/.cache/wfstore-workers.
 * `features` are the feature paths of the cucumber config's base profile, relative to the package root.
 */
export async function bundleWorkers(packageRoot: string, features: readonly string[]): Promise<BundledWorkers> {
  const esbuild = await import('esbuild');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const steps = await typeScriptFiles(path.join(packageRoot, 'steps'));
  const cache = path.join(nodeModulesOf(fileURLToPath(import.meta.resolve('esbuild'))), '.cache', 'wfstore-workers');
  await fs.mkdir(cache, { recursive: true });
  const dir = await fs.mkdtemp(path.join(cache, 'run-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
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
    outdir: dir,
    outExtension: { '.js': '.mjs' },
  } as const;
  const config = path.join(dir, 'cucumber.mjs');
  try {
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
    const profile = { paths: features, import: [path.join(dir, 'steps.mjs')] };
    await fs.writeFile(config, `export default ${JSON.stringify(profile, null, 2)};\n`);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, config, remove };
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

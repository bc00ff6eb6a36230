// The child-process workers (append, reader, engine) compiled once per matrix run into plain ES modules, when
// the harness runs from its TypeScript source: a worker then starts as `node worker.mjs` instead of loading
// tsx and every source file through it, which costs each spawn most of a second of CPU. Packages stay
// outside the bundle, so the bundle goes in node_modules/.cache, where they resolve as from the source.

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

/** Compiles the workers into a new folder under node_modules/.cache/wfstore-workers. */
export async function bundleWorkers(): Promise<BundledWorkers> {
  const esbuild = await import('esbuild');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cache = path.join(nodeModulesOf(fileURLToPath(import.meta.resolve('esbuild'))), '.cache', 'wfstore-workers');
  await fs.mkdir(cache, { recursive: true });
  const dir = await fs.mkdtemp(path.join(cache, 'run-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await esbuild.build({
      entryPoints: WORKERS.map((name) => path.join(here, `${name}.ts`)),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

/** The compiled worker in `dir`, as a path for `node`. */
export function bundledWorker(dir: string, name: WorkerName): string {
  return path.join(dir, `${name}.mjs`);
}

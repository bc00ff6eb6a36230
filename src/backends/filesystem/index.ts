import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { booleanOption, pathOption, readFactoryOptions } from '../factory-options.js';
import { FilesystemDriver } from './driver.js';
import { openFormat } from './files/format.js';
import { Layout, STALE_AFTER_MS } from './files/layout.js';

export { verifyFilesystemStore } from './verify.js';

export interface FilesystemStoreOptions extends DeterminismOptions {
  /** Root directory; each run is `{artifactsDir}/{runId}/`. Created if missing. */
  artifactsDir: string;
  /**
   * `true` (default): every write is fsynced before the call returns, so it survives power loss.
   * `false`: writes reach the OS before the call returns, so they survive a process kill, not power loss.
   */
  fsync?: boolean | undefined;
}

const FACTORY = 'createFilesystemStore';

export async function createFilesystemStore(options: FilesystemStoreOptions): Promise<IWorkflowStore> {
  const { own, determinism } = readFactoryOptions(FACTORY, options, ['artifactsDir', 'fsync']);
  const artifactsDir = pathOption(FACTORY, 'artifactsDir', own.artifactsDir, 'a directory path');
  const fsync = booleanOption(FACTORY, 'fsync', own.fsync, true);
  const layout = new Layout(path.resolve(artifactsDir));
  try {
    await fs.mkdir(layout.root, { recursive: true });
    // Before anything is written: a store of a newer format is refused untouched.
    await openFormat(layout, fsync, FACTORY);
    await Promise.all([layout.staging, layout.trash].map((dir) => fs.mkdir(dir, { recursive: true })));
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`${FACTORY}: cannot use ${layout.root}: ${(error as Error).message}`, { cause: error });
  }
  await removeLeftovers(layout);
  return defineStore(new FilesystemDriver(layout, { fsync }), determinism);
}

/** Runs half-created or half-deleted by a crashed process; old enough that no live process owns them. */
async function removeLeftovers(layout: Layout): Promise<void> {
  for (const dir of [layout.staging, layout.trash]) {
    for (const name of await fs.readdir(dir)) {
      const entry = path.join(dir, name);
      const stat = await fs.stat(entry).catch(() => null);
      if (stat !== null && Date.now() - stat.mtimeMs > STALE_AFTER_MS)
        await fs.rm(entry, { recursive: true, force: true });
    }
  }
}

// Where the matrix's reference columns put their scratch stores: a folder of this run, removed at its end,
// under WFSTORE_SCRATCH_DIR when set, else on a RAM-backed filesystem when the machine has one with room
// (Linux's /dev/shm), else under the temp directory. On tmpfs an fsync returns at once: the backends run
// the same code, fsyncs included, without waiting for a disk that other work on the machine shares.

import { fromEnvironment } from '../config.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The variable the reference initializers read (src/backends/scratch.ts). */
export const SCRATCH_VARIABLE = 'WFSTORE_SCRATCH_DIR';

const RAM_BACKED = '/dev/shm';
/** Free space a RAM-backed folder must have: the 16 MiB scenarios of four columns at once, many times over. */
const ENOUGH_BYTES = 1024 ** 3;

export interface ScratchRoot {
  dir: string;
  /** One line for the output: where and why. */
  reason: string;
  remove(): Promise<void>;
}

async function ramBacked(): Promise<string | undefined> {
  try {
    const stats = await fs.statfs(RAM_BACKED);
    const TMPFS_MAGIC = 0x01021994;
    if (stats.type !== TMPFS_MAGIC || stats.bavail * stats.bsize < ENOUGH_BYTES) return undefined;
    await fs.access(RAM_BACKED, fs.constants.W_OK);
    return RAM_BACKED;
  } catch {
    return undefined;
  }
}

export async function scratchRoot(env: NodeJS.ProcessEnv): Promise<ScratchRoot> {
  const given = fromEnvironment(SCRATCH_VARIABLE, env);
  const ram = given ? undefined : await ramBacked();
  const parent = given || ram || os.tmpdir();
  const dir = await fs.mkdtemp(path.join(parent, 'wfstore-conformance-'));
  const reason = given
    ? `${SCRATCH_VARIABLE}`
    : ram
      ? 'RAM-backed, so fsyncs return at once; WFSTORE_SCRATCH_DIR picks another folder'
      : 'the temp directory';
  return { dir, reason, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

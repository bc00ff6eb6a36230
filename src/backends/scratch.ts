// Where a backend's throwaway stores go (for the conformance scenarios, the tests, the bench and the
// demo): each backend's descriptor says how to make one and remove it.

import { fromEnvironment } from '../config.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Options of a backend's factory beyond the clock and ids (`fsync`, `maxConnections`, …). */
export type BackendSettings = Record<string, unknown>;

/** A backend's throwaway stores, and the infrastructure they need. */
export interface Scratch<L> {
  /** Starts what the stores need (a server), once, before the first. */
  setUp?: (() => Promise<void>) | undefined;
  /** Stops it and removes whatever is left. */
  tearDown?: (() => Promise<void>) | undefined;
  /** A location nothing uses yet. */
  newLocation: () => Promise<L>;
  /** Called once a store has opened a new location. */
  opened?: ((location: L) => Promise<void>) | undefined;
  /** Removes the data at a location (its store closed). */
  remove: (location: L) => Promise<void>;
  /** Options every throwaway store of this backend is opened with. */
  settings?: BackendSettings | undefined;
}

/**
 * A temporary directory made on first use, one numbered folder per store, removed at the end: under
 * WFSTORE_SCRATCH_DIR when set (the matrix sets it: src/conformance/scratch.ts), else the temp directory.
 */
export function scratchDirectory(prefix: string) {
  let root: string | undefined;
  let count = 0;
  return {
    async next(): Promise<string> {
      root ??= await fs.mkdtemp(path.join(fromEnvironment('WFSTORE_SCRATCH_DIR') ?? os.tmpdir(), prefix));
      return path.join(root, `store-${++count}`);
    },
    async removeAll(): Promise<void> {
      if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
      root = undefined;
    },
  };
}

// Initializers for the reference backends, built from their descriptors (src/backends/registry.ts), used
// by the conformance matrix, the tests and the bench alike. Each store gets its own directory, file,
// schema or memory database — its scratch location — removed by destroyStore.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendDescriptor } from './descriptor.js';
import { dropMemoryDatabase } from './memory/descriptor.js';
import { type BackendName, backendNamed } from './registry.js';
import type { DeterminismOptions, IWorkflowStore, JsonObject } from '../contract/types.js';
import type { StoreTestInitializer } from '../conformance/initializer.js';
import type { ProvisionedPostgres } from '../testing/postgres/provision.js';
import type { ReusedSchemas } from '../testing/postgres/schema-pool.js';

export type StoreLocation =
  | { backend: 'filesystem'; artifactsDir: string }
  | { backend: 'sqlite'; filename: string }
  | { backend: 'postgres'; connectionString: string; schema: string }
  | { backend: 'memory'; database: string };

/** A reference initializer also says where a store keeps its data, for the layout checks. */
export interface ReferenceInitializer extends StoreTestInitializer {
  locate(store: IWorkflowStore): StoreLocation;
}

/** Options of a backend's factory beyond the clock and ids (the bench's relaxed durability, say). */
export type BackendSettings = Record<string, unknown>;

/** Where a backend's test stores go, and the infrastructure they need. */
interface Scratch {
  setUp?: () => Promise<void>;
  tearDown?: () => Promise<void>;
  newLocation: () => Promise<StoreLocation>;
  /** Called once a store has opened a new location. */
  opened?: (location: StoreLocation) => Promise<void>;
  remove: (location: StoreLocation) => Promise<void>;
  /** Options every test store of this backend is opened with. */
  settings?: BackendSettings;
}

/**
 * A temporary directory made on first use and removed at the end: under WFSTORE_SCRATCH_DIR when set (the
 * conformance matrix sets it, see src/conformance/scratch.ts), else under the temp directory.
 */
function scratchDirectory(prefix: string) {
  let root: string | undefined;
  let count = 0;
  return {
    async next(): Promise<string> {
      root ??= await fs.mkdtemp(path.join(process.env.WFSTORE_SCRATCH_DIR || os.tmpdir(), prefix));
      return path.join(root, `store-${++count}`);
    },
    async removeAll(): Promise<void> {
      if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
      root = undefined;
    },
  };
}

const SCRATCH: Record<BackendName, (log: (line: string) => void) => Scratch> = {
  filesystem() {
    const dirs = scratchDirectory('wfstore-fs-');
    return {
      newLocation: async () => ({ backend: 'filesystem', artifactsDir: await dirs.next() }),
      remove: (l) => fs.rm((l as { artifactsDir: string }).artifactsDir, { recursive: true, force: true }),
      tearDown: () => dirs.removeAll(),
    };
  },
  sqlite() {
    const dirs = scratchDirectory('wfstore-sqlite-');
    return {
      newLocation: async () => ({ backend: 'sqlite', filename: path.join(await dirs.next(), 'workflow.db') }),
      remove: (l) => fs.rm(path.dirname((l as { filename: string }).filename), { recursive: true, force: true }),
      tearDown: () => dirs.removeAll(),
    };
  },
  // One server for all stores (URL, container or embedded), one schema per store: emptied and reused by a
  // later store when it is as fresh, else dropped (src/testing/postgres/schema-pool.ts).
  postgres(log) {
    let server: ProvisionedPostgres | undefined;
    let schemas: ReusedSchemas | undefined;
    const ready = () => {
      if (server === undefined || schemas === undefined) throw new Error('postgres: beforeAll() has not run');
      return { server, schemas };
    };
    return {
      async setUp() {
        const { provisionPostgres } = await import('../testing/postgres/provision.js');
        const { ReusedSchemas } = await import('../testing/postgres/schema-pool.js');
        server = await provisionPostgres({ log });
        schemas = new ReusedSchemas(server.connectionString);
      },
      async tearDown() {
        await schemas?.end();
        await server?.stop();
        server = schemas = undefined;
      },
      newLocation: async () => ({
        backend: 'postgres',
        connectionString: ready().server.connectionString,
        schema: ready().schemas.take(),
      }),
      opened: (l) => ready().schemas.opened((l as { schema: string }).schema),
      remove: (l) => ready().schemas.release((l as { schema: string }).schema),
      settings: { maxConnections: 4 },
    };
  },
  memory() {
    return {
      newLocation: async () => ({ backend: 'memory', database: `store-${randomBytes(6).toString('hex')}` }),
      remove: async (l) => dropMemoryDatabase((l as { database: string }).database),
    };
  },
};

interface Opened {
  location: StoreLocation;
  options: DeterminismOptions;
}

/** The initializer of a reference backend: its descriptor's capabilities, stores in scratch locations. */
export function referenceBackend(
  name: string,
  settings: { log?: (line: string) => void; options?: BackendSettings } = {},
): ReferenceInitializer {
  const backend: BackendDescriptor = backendNamed(name);
  const scratch = SCRATCH[backend.name as BackendName](settings.log ?? (() => {}));
  const extra = { ...scratch.settings, ...settings.options };
  const open = (location: StoreLocation, options: DeterminismOptions) =>
    backend.open(withoutBackend(location), { ...extra, ...options });
  const opened = new Map<IWorkflowStore, Opened>();
  const track = (store: IWorkflowStore, entry: Opened) => {
    opened.set(store, entry);
    return store;
  };
  const entryOf = (store: IWorkflowStore): Opened => {
    const entry = opened.get(store);
    if (entry === undefined) throw new Error(`${backend.name}: this store was not made by this initializer`);
    return entry;
  };
  return {
    name: backend.name,
    supports: {
      clock: backend.supports.clock,
      ids: backend.supports.ids,
      reopen: backend.supports.reopen,
      multiProcess: backend.supports.multiProcess
        ? {
            locate: (store) => entryOf(store).location as unknown as JsonObject,
            open: (location) => open(location as unknown as StoreLocation, {}),
          }
        : undefined,
    },
    beforeAll: scratch.setUp,
    afterAll: scratch.tearDown,
    async createStore(options: DeterminismOptions = {}) {
      const location = await scratch.newLocation();
      const store = await open(location, options);
      await scratch.opened?.(location);
      return track(store, { location, options });
    },
    async reopenStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      return track(await open(entry.location, entry.options), entry);
    },
    async destroyStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      await scratch.remove(entry.location);
    },
    locate: (store) => entryOf(store).location,
  };
}

/** A store location without its backend tag: what the backend's descriptor opens. */
export function withoutBackend(location: StoreLocation): JsonObject {
  const { backend: _backend, ...rest } = location;
  return rest;
}

// Initializers for the reference backends, used by the unit tests, the conformance matrix and the
// property tests alike. Each store gets its own directory, file or schema, removed by destroyStore.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFilesystemStore } from '../backends/filesystem/index.js';
import { createMemoryStore, MemoryDatabase } from '../backends/memory/index.js';
import { createPostgresStore } from '../backends/postgres/index.js';
import { createSqliteStore } from '../backends/sqlite/index.js';
import type { DeterminismOptions, IWorkflowStore, JsonValue } from '../contract/types.js';
import type { StoreTestInitializer } from './initializer.js';
import { provisionPostgres, type ProvisionedPostgres } from './postgres/provision.js';
import { ThrowawaySchemas } from './postgres/schemas.js';

export type StoreLocation =
  | { backend: 'filesystem'; artifactsDir: string }
  | { backend: 'sqlite'; filename: string }
  | { backend: 'postgres'; connectionString: string; schema: string }
  | { backend: 'memory'; database: MemoryDatabase };

/** A reference initializer also says where a store keeps its data, for the layout checks. */
export interface ReferenceInitializer extends StoreTestInitializer {
  locate(store: IWorkflowStore): StoreLocation;
}

interface Opened<L> {
  location: L;
  options: DeterminismOptions;
}

/**
 * The shape every reference initializer shares: a scratch area made once, one location per store,
 * reopen = close and open the same location with the same clock and ids.
 */
export function referenceInitializer<L extends StoreLocation>(spec: {
  name: string;
  /** Whether other processes can open its stores (all but memory). */
  sharedAcrossProcesses: boolean;
  setUp?: () => Promise<void>;
  tearDown?: () => Promise<void>;
  newLocation: () => Promise<L>;
  open: (location: L, options: DeterminismOptions) => Promise<IWorkflowStore>;
  remove: (location: L) => Promise<void>;
}): ReferenceInitializer {
  const opened = new Map<IWorkflowStore, Opened<L>>();
  const track = (store: IWorkflowStore, entry: Opened<L>): IWorkflowStore => {
    opened.set(store, entry);
    return store;
  };
  const entryOf = (store: IWorkflowStore): Opened<L> => {
    const entry = opened.get(store);
    if (entry === undefined) throw new Error(`${spec.name}: this store was not made by this initializer`);
    return entry;
  };
  return {
    name: spec.name,
    // Every reference store takes the harness's clock and ids (WF-DET-1).
    supports: {
      clock: true,
      ids: true,
      reopen: true,
      multiProcess: spec.sharedAcrossProcesses
        ? {
            locate: (store) => entryOf(store).location as unknown as JsonValue,
            open: (location) => spec.open(location as unknown as L, {}),
          }
        : undefined,
    },
    beforeAll: spec.setUp,
    afterAll: spec.tearDown,
    async createStore(options: DeterminismOptions = {}) {
      const location = await spec.newLocation();
      return track(await spec.open(location, options), { location, options });
    },
    async reopenStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      return track(await spec.open(entry.location, entry.options), entry);
    },
    async destroyStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      await spec.remove(entry.location);
    },
    locate: (store) => entryOf(store).location,
  };
}

/** A temporary directory made on first use and removed at the end. */
function scratch(prefix: string) {
  let root: string | undefined;
  let count = 0;
  return {
    async next(): Promise<string> {
      root ??= await fs.mkdtemp(path.join(os.tmpdir(), prefix));
      return path.join(root, `store-${++count}`);
    },
    async removeAll(): Promise<void> {
      if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
      root = undefined;
    },
  };
}

export function filesystemBackend(settings: { fsync?: boolean } = {}): ReferenceInitializer {
  const dirs = scratch('wfstore-fs-');
  return referenceInitializer({
    name: 'filesystem',
    sharedAcrossProcesses: true,
    newLocation: async () => ({ backend: 'filesystem', artifactsDir: await dirs.next() }),
    open: (location, options) =>
      createFilesystemStore({ ...options, artifactsDir: location.artifactsDir, fsync: settings.fsync }),
    remove: (location) => fs.rm(location.artifactsDir, { recursive: true, force: true }),
    tearDown: () => dirs.removeAll(),
  });
}

export function sqliteBackend(settings: { synchronous?: 'full' | 'normal' } = {}): ReferenceInitializer {
  const dirs = scratch('wfstore-sqlite-');
  return referenceInitializer({
    name: 'sqlite',
    sharedAcrossProcesses: true,
    newLocation: async () => ({ backend: 'sqlite', filename: path.join(await dirs.next(), 'workflow.db') }),
    open: (location, options) =>
      createSqliteStore({ ...options, filename: location.filename, synchronous: settings.synchronous }),
    remove: (location) => fs.rm(path.dirname(location.filename), { recursive: true, force: true }),
    tearDown: () => dirs.removeAll(),
  });
}

/**
 * PostgreSQL: one server for all stores (provisioned in beforeAll: URL, container or embedded), one
 * schema per store, dropped by destroyStore.
 */
export function postgresBackend(settings: { log?: (line: string) => void } = {}): ReferenceInitializer & {
  provisioned(): ProvisionedPostgres | undefined;
} {
  let server: ProvisionedPostgres | undefined;
  let schemas: ThrowawaySchemas | undefined;
  const ready = () => {
    if (server === undefined || schemas === undefined) throw new Error('postgres: beforeAll() has not run');
    return { server, schemas };
  };
  const initializer = referenceInitializer({
    name: 'postgres',
    sharedAcrossProcesses: true,
    async setUp() {
      server = await provisionPostgres({ log: settings.log });
      schemas = new ThrowawaySchemas(server.connectionString);
    },
    async tearDown() {
      await schemas?.end();
      await server?.stop();
      server = schemas = undefined;
    },
    newLocation: async () => ({
      backend: 'postgres',
      connectionString: ready().server.connectionString,
      schema: ready().schemas.newName(),
    }),
    open: (location, options) =>
      createPostgresStore({
        ...options,
        connectionString: location.connectionString,
        schema: location.schema,
        maxConnections: 4,
      }),
    remove: (location) => ready().schemas.drop(location.schema),
  });
  return { ...initializer, provisioned: () => server };
}

/** Memory: a MemoryDatabase per store; reopen = a new store on the same database (it lives with the process). */
export function memoryBackend(): ReferenceInitializer {
  return referenceInitializer({
    name: 'memory',
    sharedAcrossProcesses: false,
    newLocation: async () => ({ backend: 'memory', database: new MemoryDatabase() }),
    open: (location, options) => createMemoryStore({ ...options, database: location.database }),
    remove: async () => {},
  });
}

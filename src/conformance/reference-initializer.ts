// Initializers for the reference backends, built from their descriptors (src/backends/registry.ts), used
// by the conformance matrix, the tests and the bench alike. Each store gets its own scratch location
// (a directory, a file, a schema, a memory database: the descriptor's `scratch`), removed by destroyStore.

import type { BackendDescriptor } from '../backends/descriptor.js';
import { backendNamed } from '../backends/registry.js';
import type { BackendSettings } from '../backends/scratch.js';
import type { DeterminismOptions, IWorkflowStore, JsonObject } from '../contract/types.js';
import { LATEST_CONTRACT } from '../contract/versions.js';
import type { StoreCapabilities, StoreTestInitializer } from './initializer.js';

export type { BackendSettings } from '../backends/scratch.js';

/** Where a reference store's data is: its backend's name, and the location its descriptor opens. */
export type StoreLocation = { backend: string } & JsonObject;

/** A reference initializer also says where a store keeps its data, for the layout checks. */
export interface ReferenceInitializer extends StoreTestInitializer {
  locate(store: IWorkflowStore): StoreLocation;
}

interface Opened {
  location: StoreLocation;
  options: DeterminismOptions;
}

/** A reference backend's capabilities, as its descriptor states them; other processes open its locations. */
function supportsOf(
  backend: BackendDescriptor,
  entryOf: (store: IWorkflowStore) => Opened,
  open: (location: StoreLocation, options: DeterminismOptions) => Promise<IWorkflowStore>,
): StoreCapabilities {
  return {
    clock: backend.supports.clock,
    ids: backend.supports.ids,
    reopen: backend.supports.reopen,
    alongside: backend.supports.alongside,
    permanent: backend.supports.permanent,
    multiProcess: backend.supports.multiProcess
      ? {
          locate: (store) => entryOf(store).location as unknown as JsonObject,
          open: (location) => open(location as unknown as StoreLocation, {}),
        }
      : undefined,
  };
}

/** The initializer of a reference backend: its descriptor's capabilities, stores in scratch locations. */
export function referenceBackend(
  name: string,
  settings: { log?: (line: string) => void; options?: BackendSettings } = {},
): ReferenceInitializer {
  const backend: BackendDescriptor = backendNamed(name);
  const scratch = backend.scratch(settings.log ?? (() => {}));
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
    contract: LATEST_CONTRACT,
    supports: supportsOf(backend, entryOf, open),
    beforeAll: scratch.setUp,
    afterAll: scratch.tearDown,
    async createStore(options: DeterminismOptions = {}) {
      const place = await scratch.newLocation();
      const location: StoreLocation = { backend: backend.name, ...place };
      const store = await open(location, options);
      await scratch.opened?.(place);
      return track(store, { location, options });
    },
    async reopenStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      return track(await open(entry.location, entry.options), entry);
    },
    // Another store on the same location, open at once: what another part of a program would open.
    ...(backend.supports.alongside
      ? {
          openAlongside: async (store: IWorkflowStore) => {
            const entry = entryOf(store);
            return open(entry.location, entry.options);
          },
        }
      : {}),
    async destroyStore(store) {
      const entry = entryOf(store);
      await store.close();
      opened.delete(store);
      await scratch.remove(withoutBackend(entry.location));
    },
    locate: (store) => entryOf(store).location,
  };
}

/** A store location without its backend tag: what the backend's descriptor opens. */
export function withoutBackend(location: StoreLocation): JsonObject {
  const { backend: _backend, ...rest } = location;
  return rest;
}

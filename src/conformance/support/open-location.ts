import { backendNamed } from '../../backends/registry.js';
import type { IWorkflowStore, JsonValue } from '../../contract/types.js';
import { loadInitializer } from '../load-initializer.js';
import type { StoreAddress } from './processes.js';
import { type StoreLocation, withoutBackend } from '../reference-initializer.js';

/** Opens a reference store on data that already exists, e.g. from another process. */
export function openLocation(location: StoreLocation): Promise<IWorkflowStore> {
  const backend = backendNamed(location.backend);
  if (!backend.supports.multiProcess) throw new Error(`a ${backend.name} store cannot be opened from another process`);
  return backend.open(withoutBackend(location));
}

/** The address of a reference store, for a child process. */
export function referenceAddress(location: StoreLocation): StoreAddress {
  return { source: { reference: location.backend }, location: location as unknown as JsonValue };
}

/** Opens, in a child process, the store another process described: through its initializer's multiProcess. */
export async function openAddress(address: StoreAddress): Promise<IWorkflowStore> {
  if ('reference' in address.source) return openLocation(address.location as unknown as StoreLocation);
  const initializer = await loadInitializer(address.source.module);
  const support = initializer.supports?.multiProcess;
  if (support === undefined) throw new Error(`the initializer "${initializer.name}" has no supports.multiProcess`);
  return support.open(address.location);
}

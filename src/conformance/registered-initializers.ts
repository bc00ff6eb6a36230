// Initializers handed over in this process (describeConformance), found again by key by the step
// definitions: cucumber's world parameters are JSON, so they carry the key, not the object.

import type { StoreTestInitializer } from './initializer.js';
import type { StoreSource } from './support/processes.js';

export interface Registered {
  initializer: StoreTestInitializer;
  /** How a child process finds the initializer again, when the caller said (multi-process scenarios). */
  source: StoreSource | undefined;
}

// On globalThis: the steps may be loaded from another copy of this module (dist/ beside src/).
const KEY = Symbol.for('wfstore.registered-initializers');
const global = globalThis as Record<symbol, Map<string, Registered> | undefined>;
global[KEY] ??= new Map();
const registry = global[KEY];

export function registerInitializer(initializer: StoreTestInitializer, source?: StoreSource): string {
  const key = `${initializer.name}#${registry.size + 1}`;
  registry.set(key, { initializer, source });
  return key;
}

export function registeredInitializer(key: string): Registered {
  const found = registry.get(key);
  if (found === undefined) throw new Error(`no initializer registered as "${key}" in this process`);
  return found;
}

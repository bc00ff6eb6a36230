// The reference backends: the one list every part of the package reads (the matrix, the cucumber
// profiles, the demo, the bench, the tests). Importing it loads no driver.

import type { BackendDescriptor } from './descriptor.js';
import { filesystem } from './filesystem/descriptor.js';
import { memory } from './memory/descriptor.js';
import { postgres } from './postgres/descriptor.js';
import { sqlite } from './sqlite/descriptor.js';

const BY_NAME = { filesystem, sqlite, postgres, memory };

export type BackendName = keyof typeof BY_NAME;
export const BACKEND_NAMES = Object.keys(BY_NAME) as BackendName[];
export const BACKENDS: readonly BackendDescriptor[] = Object.values(BY_NAME) as unknown as BackendDescriptor[];

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BY_NAME, name);
}

export function backendNamed(name: string): BackendDescriptor {
  if (!isBackendName(name)) {
    throw new Error(`unknown backend "${name}"; the reference backends are ${BACKEND_NAMES.join(', ')}`);
  }
  return BY_NAME[name] as unknown as BackendDescriptor;
}

// The reference backends by name, for the matrix, the conformance command and the tests.

import {
  filesystemBackend,
  memoryBackend,
  postgresBackend,
  sqliteBackend,
  type ReferenceInitializer,
} from './reference-backends.js';

export const REFERENCE_BACKENDS = ['filesystem', 'sqlite', 'postgres', 'memory'] as const;

export type ReferenceBackendName = (typeof REFERENCE_BACKENDS)[number];

export function isReferenceBackend(name: string): name is ReferenceBackendName {
  return (REFERENCE_BACKENDS as readonly string[]).includes(name);
}

export function referenceBackend(name: string, log?: (line: string) => void): ReferenceInitializer {
  switch (name) {
    case 'filesystem':
      return filesystemBackend();
    case 'sqlite':
      return sqliteBackend();
    case 'postgres':
      return postgresBackend({ log });
    case 'memory':
      return memoryBackend();
    default:
      throw new Error(`unknown backend "${name}"; the reference backends are ${REFERENCE_BACKENDS.join(', ')}`);
  }
}

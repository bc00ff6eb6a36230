// Which backends the unit tests run on: all reference backends, or WFSTORE_BACKENDS=sqlite,postgres.

import { BACKEND_NAMES, isBackendName } from '../../src/backends/registry.js';
import { type ReferenceInitializer, referenceBackend } from '../../src/conformance/reference-initializer.js';

/** The reference backends to run on: all, or WFSTORE_BACKENDS=sqlite,postgres. */
export function selectedBackends(): ReferenceInitializer[] {
  const wanted = (process.env.WFSTORE_BACKENDS ?? BACKEND_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return wanted.map((name) => {
    if (!isBackendName(name)) {
      throw new Error(`WFSTORE_BACKENDS: unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
    }
    return referenceBackend(name);
  });
}

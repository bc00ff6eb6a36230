// The reference backends by name, for the matrix, the conformance command and the tests: the names come
// from the one list of descriptors (src/backends/registry.ts).

export {
  BACKEND_NAMES as REFERENCE_BACKENDS,
  type BackendName as ReferenceBackendName,
  isBackendName as isReferenceBackend,
} from '../backends/registry.js';
export { referenceBackend } from './reference-backends.js';

import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { JSON_MAX_BYTES } from '../../src/contract/limits.js';
import { mutant, runOverlay } from './mutant.js';

/** The size of `value` as JSON, in UTF-8 bytes; 0 when it is not JSON. */
function bytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return 0;
  }
}

// Checks the 16 MiB limit on payloads only: a run's metadata over it is accepted on create, kept beside the
// data.
export default mutant({
  name: 'metadata-size-unchecked',
  rule: 'WF-VAL-8',
  breaks: "a run's metadata over 16 MiB is accepted by createWorkflowRun instead of INVALID_INPUT",
  wrap: (store, kept) => {
    const overlay = runOverlay(store, kept, 'big metadata');
    return {
      ...overlay.methods,
      async createWorkflowRun(input) {
        try {
          return await store.createWorkflowRun(input);
        } catch (error) {
          if (!isWorkflowStoreError(error, 'INVALID_INPUT') || bytes(input.metadata) <= JSON_MAX_BYTES) throw error;
          const run = await store.createWorkflowRun({ ...input, metadata: {} });
          overlay.fields.set(run.id, { metadata: structuredClone(input.metadata) });
          return overlay.shown(run);
        }
      },
    };
  },
});

import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { serializeJsonObject } from '../../src/contract/validation.js';
import { mutant, runOverlay } from './mutant.js';

// Checks the 16 MiB limit on a metadata patch alone, not on the merged metadata: an update that makes the
// metadata too big is applied, the merged metadata kept beside the data.
export default mutant({
  name: 'merged-metadata-unchecked',
  rule: 'WF-VAL-15',
  breaks: 'the 16 MiB limit is checked on a metadata patch alone, not on the merged metadata',
  wrap: (store, kept) => {
    const overlay = runOverlay(store, kept, 'merged metadata');
    return {
      ...overlay.methods,
      async updateWorkflowRun(id, patch, options) {
        try {
          const run = await store.updateWorkflowRun(id, patch, options);
          const big = overlay.fields.get(run.id)?.metadata;
          if (big !== undefined && patch.metadata !== undefined) {
            overlay.fields.set(run.id, { metadata: { ...big, ...structuredClone(patch.metadata) } });
          }
          return overlay.shown(run);
        } catch (error) {
          if (!isWorkflowStoreError(error, 'INVALID_INPUT') || patch?.metadata === undefined) throw error;
          serializeJsonObject(patch.metadata, 'patch.metadata'); // the patch alone: JSON, within the limit
          const before = overlay.shown(await store.getWorkflowRun(id));
          const run = await store.updateWorkflowRun(id, { ...patch, metadata: {} }, options);
          overlay.fields.set(run.id, { metadata: { ...before?.metadata, ...structuredClone(patch.metadata) } });
          return overlay.shown(run);
        }
      },
    };
  },
});

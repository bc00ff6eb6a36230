import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonObject } from '../../src/contract/types.js';
import { mutant, ownField } from './mutant.js';

// Writes the metadata patch before it checks expected_metadata, and does not undo it on a conflict.
export default mutant({
  name: 'metadata-conflict-writes-patch',
  rule: 'WF-CAS-3',
  breaks: 'an update refused on its expected metadata still merges its metadata patch',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      try {
        return await store.updateWorkflowRun(id, patch, options);
      } catch (error) {
        const metadata = ownField(patch, 'metadata') as JsonObject | undefined;
        const onMetadata = isWorkflowStoreError(error, 'STATUS_CONFLICT') && error.field?.startsWith('metadata.');
        if (onMetadata && metadata !== undefined) await store.updateWorkflowRun(id, { metadata });
        throw error;
      }
    },
  }),
});

import { differingKey, metadataConflict } from '../../src/contract/decide.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonObject } from '../../src/contract/types.js';
import { mutant, ownField } from './mutant.js';

// Checks expected_metadata before expected_status: when both differ, the conflict names the metadata.
export default mutant({
  name: 'metadata-checked-before-status',
  rule: 'WF-CAS-3',
  breaks: 'expected_metadata is checked before expected_status',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      try {
        return await store.updateWorkflowRun(id, patch, options);
      } catch (error) {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || error.field !== 'status') throw error;
        const stored = (await store.getWorkflowRun(id))!.metadata;
        const key = differingKey(stored, ownField(options, 'expected_metadata') as JsonObject | undefined);
        throw key === undefined ? error : metadataConflict(id, key);
      }
    },
  }),
});

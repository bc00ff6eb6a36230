import { differingKey, metadataConflict } from '../../src/contract/decide.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonObject } from '../../src/contract/types.js';
import { mutant, ownField } from './mutant.js';

// Checks an append's expected_metadata before its expected_status: when both differ, the conflict names
// the metadata.
export default mutant({
  name: 'append-metadata-before-status',
  rule: 'WF-SEQ-4',
  breaks: 'createWorkflowEvent checks expected_metadata before expected_status',
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      try {
        return await store.createWorkflowEvent(input, options);
      } catch (error) {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || error.field !== 'status') throw error;
        const run = (await store.getWorkflowRun(input.run_id))!;
        const key = differingKey(run.metadata, ownField(options, 'expected_metadata') as JsonObject | undefined);
        throw key === undefined ? error : metadataConflict(run.id, key);
      }
    },
  }),
});

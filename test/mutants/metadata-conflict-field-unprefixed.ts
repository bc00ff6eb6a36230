import { WorkflowStoreError, isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Names the key that differed without its place: "pause_id" instead of "metadata.pause_id".
export default mutant({
  name: 'metadata-conflict-field-unprefixed',
  rule: 'WF-CAS-3',
  breaks: 'a conflict on expected metadata names the key alone, not metadata.<key>',
  wrap: (store) => ({
    updateWorkflowRun: (id, patch, options) =>
      store.updateWorkflowRun(id, patch, options).catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || !error.field?.startsWith('metadata.')) throw error;
        const field = error.field.slice('metadata.'.length);
        throw new WorkflowStoreError('STATUS_CONFLICT', error.message, { runId: error.runId, field });
      }),
  }),
});

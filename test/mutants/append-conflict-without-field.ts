import { WorkflowStoreError, isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Refuses a fenced append with a STATUS_CONFLICT that does not say what differed.
export default mutant({
  name: 'append-conflict-without-field',
  rule: 'WF-SEQ-4',
  breaks: 'the STATUS_CONFLICT of a fenced append has no field',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(input, options).catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT')) throw error;
        throw new WorkflowStoreError('STATUS_CONFLICT', error.message, { runId: error.runId });
      }),
  }),
});

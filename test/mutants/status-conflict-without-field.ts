import { WorkflowStoreError, isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Answers a conflict on expected_status as 1.1 allowed: STATUS_CONFLICT without the field that differed.
export default mutant({
  name: 'status-conflict-without-field',
  rule: 'WF-CAS-3',
  breaks: 'the STATUS_CONFLICT of an expected_status that differs has no field "status"',
  wrap: (store) => ({
    updateWorkflowRun: (id, patch, options) =>
      store.updateWorkflowRun(id, patch, options).catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || error.field !== 'status') throw error;
        throw new WorkflowStoreError('STATUS_CONFLICT', error.message, { runId: error.runId });
      }),
  }),
});

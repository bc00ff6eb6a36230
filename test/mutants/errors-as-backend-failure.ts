import { WorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Wraps every error from below as BACKEND_FAILURE (the original as cause), the contract's codes included.
export default mutant({
  name: 'errors-as-backend-failure',
  rule: 'WF-ERR-2',
  breaks: "createWorkflowEvent reports the contract's errors (RUN_NOT_FOUND, …) as BACKEND_FAILURE",
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(input, options).catch((error: Error) => {
        throw new WorkflowStoreError('BACKEND_FAILURE', `createWorkflowEvent: ${error.message}`, { cause: error });
      }),
  }),
});

import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { checkedFirst, mutant } from './mutant.js';

// Reads the fields of a null input (`input.id`): the TypeError, a fault below the contract to the store,
// comes out as BACKEND_FAILURE instead of INVALID_INPUT.
export default mutant({
  name: 'null-input-crashes',
  rule: 'WF-VAL-16',
  breaks: 'createWorkflowRun and createWorkflowEvent given null fail with BACKEND_FAILURE, not INVALID_INPUT',
  wrap: (store): Partial<IWorkflowStore> => {
    const crash = (input: unknown) => async () =>
      input === null
        ? new WorkflowStoreError('BACKEND_FAILURE', 'the call failed', {
            cause: new TypeError("Cannot read properties of null (reading 'id')"),
          })
        : undefined;
    return {
      createWorkflowRun: (input) => checkedFirst(() => store.createWorkflowRun(input), 'INVALID_INPUT', crash(input)),
      createWorkflowEvent: (input, options) =>
        checkedFirst(() => store.createWorkflowEvent(input, options), 'INVALID_INPUT', crash(input)),
    };
  },
});

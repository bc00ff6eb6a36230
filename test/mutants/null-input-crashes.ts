import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Reads the fields of a null input (`input.id`): the TypeError, a fault below the contract to the store,
// comes out as BACKEND_FAILURE instead of INVALID_INPUT.
const crash = (operation: string) =>
  Promise.reject(
    new WorkflowStoreError('BACKEND_FAILURE', `${operation} failed`, {
      cause: new TypeError("Cannot read properties of null (reading 'id')"),
    }),
  );

export default mutant({
  name: 'null-input-crashes',
  rule: 'WF-VAL-16',
  breaks: 'createWorkflowRun and createWorkflowEvent given null fail with BACKEND_FAILURE, not INVALID_INPUT',
  wrap: (store): Partial<IWorkflowStore> => ({
    createWorkflowRun: (input) => (input === null ? crash('createWorkflowRun') : store.createWorkflowRun(input)),
    createWorkflowEvent: (input) => (input === null ? crash('createWorkflowEvent') : store.createWorkflowEvent(input)),
  }),
});

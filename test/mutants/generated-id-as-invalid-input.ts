import { invalidInput, isWorkflowStoreError } from '../../src/contract/errors.js';
import { clockFault, mutant, ownField } from './mutant.js';

// Checks the id it generated as if the caller had given it: an id from its id source that is not an
// identifier fails createWorkflowRun with INVALID_INPUT instead of BACKEND_FAILURE.
export default mutant({
  name: 'generated-id-as-invalid-input',
  rule: 'WF-DET-2',
  breaks: 'a generated id that is not an identifier fails createWorkflowRun with INVALID_INPUT, not BACKEND_FAILURE',
  needs: ['ids'],
  wrap: (store, _kept, offered) => ({
    createWorkflowRun: (input) =>
      store.createWorkflowRun(input).catch((error: unknown) => {
        const generated = ownField(input, 'id') === undefined && !clockFault(offered);
        if (!isWorkflowStoreError(error, 'BACKEND_FAILURE') || !generated) throw error;
        throw invalidInput('id', 'is not an identifier');
      }),
  }),
});

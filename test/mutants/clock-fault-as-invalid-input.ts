import { invalidInput, isWorkflowStoreError } from '../../src/contract/errors.js';
import { clockFault, mutant } from './mutant.js';

// Blames the caller for the store's clock: a clock outside years 1 to 9999, or no valid Date, fails the
// calls that write a timestamp with INVALID_INPUT instead of BACKEND_FAILURE.
export default mutant({
  name: 'clock-fault-as-invalid-input',
  rule: 'WF-DET-2',
  breaks: 'a faulty clock fails the calls that write a timestamp with INVALID_INPUT, not BACKEND_FAILURE',
  needs: ['clock'],
  wrap: (store, _kept, offered) => {
    const blamed = <T>(call: () => Promise<T>): Promise<T> =>
      call().catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'BACKEND_FAILURE') || !clockFault(offered)) throw error;
        throw invalidInput('timestamp', 'is outside years 1 to 9999');
      });
    return {
      createWorkflowRun: (input) => blamed(() => store.createWorkflowRun(input)),
      updateWorkflowRun: (id, patch, options) => blamed(() => store.updateWorkflowRun(id, patch, options)),
      createWorkflowEvent: (input, options) => blamed(() => store.createWorkflowEvent(input, options)),
    };
  },
});

import { WorkflowStoreError } from '../../src/contract/errors.js';
import { checkedFirst, clockFault, mutant } from './mutant.js';

// Reads the clock before checking the input: with a clock outside years 1 to 9999, input the store would
// refuse is BACKEND_FAILURE instead of INVALID_INPUT.
export default mutant({
  name: 'clock-before-input',
  rule: 'WF-ERR-5',
  breaks: 'the calls that write a timestamp report a faulty clock before checking their input',
  needs: ['clock'],
  wrap: (store, _kept, offered) => {
    const clockFirst = <T>(call: () => Promise<T>): Promise<T> =>
      checkedFirst(call, 'INVALID_INPUT', async () =>
        clockFault(offered) ? new WorkflowStoreError('BACKEND_FAILURE', 'the clock reads past year 9999') : undefined,
      );
    return {
      createWorkflowRun: (input) => clockFirst(() => store.createWorkflowRun(input)),
      updateWorkflowRun: (id, patch, options) => clockFirst(() => store.updateWorkflowRun(id, patch, options)),
      createWorkflowEvent: (input, options) => clockFirst(() => store.createWorkflowEvent(input, options)),
    };
  },
});

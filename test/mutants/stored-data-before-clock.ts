import { runAlreadyExists, runNotFound } from '../../src/contract/errors.js';
import { checkedFirst, mutant, ownField, runExists } from './mutant.js';

// Looks at the stored data before reading the clock: with a clock outside years 1 to 9999, a call on an
// unknown run is RUN_NOT_FOUND and a run with a taken id RUN_ALREADY_EXISTS, instead of BACKEND_FAILURE.
export default mutant({
  name: 'stored-data-before-clock',
  rule: 'WF-DET-2',
  breaks: 'with a faulty clock, an unknown run or a taken id is answered as such, not with BACKEND_FAILURE',
  needs: ['clock'],
  wrap: (store) => {
    const unknown = async (runId: unknown) =>
      (await runExists(store, runId)) === false ? runNotFound(String(runId)) : undefined;
    return {
      createWorkflowRun: (input) =>
        checkedFirst(
          () => store.createWorkflowRun(input),
          'BACKEND_FAILURE',
          async () => {
            const id = ownField(input, 'id');
            return (await runExists(store, id)) === true ? runAlreadyExists(String(id)) : undefined;
          },
        ),
      updateWorkflowRun: (id, patch, options) =>
        checkedFirst(
          () => store.updateWorkflowRun(id, patch, options),
          'BACKEND_FAILURE',
          () => unknown(id),
        ),
      createWorkflowEvent: (input, options) =>
        checkedFirst(
          () => store.createWorkflowEvent(input, options),
          'BACKEND_FAILURE',
          () => unknown(ownField(input, 'run_id')),
        ),
    };
  },
});

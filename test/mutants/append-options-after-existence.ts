import { isWorkflowStoreError, runNotFound } from '../../src/contract/errors.js';
import { checkedFirst, mutant, ownField, runExists } from './mutant.js';

// Looks the run up before it reads the options: options it refuses on an unknown run give RUN_NOT_FOUND.
export default mutant({
  name: 'append-options-after-existence',
  rule: 'WF-SEQ-4',
  breaks: 'createWorkflowEvent with bad options on an unknown run answers RUN_NOT_FOUND, not INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(input, options).catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'INVALID_INPUT') || !error.field?.startsWith('options')) throw error;
        return checkedFirst(
          () => Promise.reject(error),
          'INVALID_INPUT',
          async () => {
            const runId = ownField(input, 'run_id');
            return (await runExists(store, runId)) === false ? runNotFound(runId as string) : undefined;
          },
        );
      }),
  }),
});

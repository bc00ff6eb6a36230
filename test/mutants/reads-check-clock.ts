import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { clockFault, mutant } from './mutant.js';

// Checks the clock on every call: with a clock outside years 1 to 9999, the operations that write no
// timestamp fail with BACKEND_FAILURE too, instead of answering as usual.
export default mutant({
  name: 'reads-check-clock',
  rule: 'WF-DET-2',
  breaks: 'with a faulty clock, the operations that write no timestamp fail with BACKEND_FAILURE',
  wrap: (store, _kept, offered) => {
    const clockFirst = async <T>(call: () => Promise<T>): Promise<T> => {
      if (clockFault(offered)) throw new WorkflowStoreError('BACKEND_FAILURE', 'the clock reads past year 9999');
      return call();
    };
    const reads: Partial<IWorkflowStore> = {
      getWorkflowRun: (id) => clockFirst(() => store.getWorkflowRun(id)),
      listWorkflowRuns: (options) => clockFirst(() => store.listWorkflowRuns(options)),
      deleteWorkflowRun: (id) => clockFirst(() => store.deleteWorkflowRun(id)),
      listWorkflowEvents: (runId, options) => clockFirst(() => store.listWorkflowEvents(runId, options)),
      getCompletedDagNodeOutputs: (runId) => clockFirst(() => store.getCompletedDagNodeOutputs(runId)),
    };
    return reads;
  },
});

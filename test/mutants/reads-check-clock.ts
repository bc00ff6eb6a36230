import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { clockFault, mutant } from './mutant.js';

// Checks the clock on every call: with a clock outside years 1 to 9999, the operations that write no
// timestamp fail with BACKEND_FAILURE too (after their input checks), instead of answering as usual.
export default mutant({
  name: 'reads-check-clock',
  rule: 'WF-DET-2',
  breaks: 'with a faulty clock, the operations that write no timestamp fail with BACKEND_FAILURE',
  needs: ['clock'],
  wrap: (store, _kept, offered) => {
    const thenClock = async <T>(call: () => Promise<T>): Promise<T> => {
      const result = await call();
      if (clockFault(offered)) throw new WorkflowStoreError('BACKEND_FAILURE', 'the clock reads past year 9999');
      return result;
    };
    const reads: Partial<IWorkflowStore> = {
      getWorkflowRun: (id) => thenClock(() => store.getWorkflowRun(id)),
      listWorkflowRuns: (options) => thenClock(() => store.listWorkflowRuns(options)),
      // Its input checked by a read, so that a refused delete deletes nothing.
      deleteWorkflowRun: async (id) => {
        await thenClock(() => store.getWorkflowRun(id));
        return store.deleteWorkflowRun(id);
      },
      listWorkflowEvents: (runId, options) => thenClock(() => store.listWorkflowEvents(runId, options)),
      getCompletedDagNodeOutputs: (runId) => thenClock(() => store.getCompletedDagNodeOutputs(runId)),
    };
    return reads;
  },
});

import type { WorkflowRun } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Caches what it returns and hands out the same objects again: a caller's change shows up in the store.
export default mutant({
  name: 'returns-shared-objects',
  rule: 'WF-CPY-1',
  breaks: "runs returned are shared: a caller's change shows in later results",
  wrap: (store) => {
    const cache = new Map<string, WorkflowRun>();
    const remember = (run: WorkflowRun | null) => {
      if (run === null) return null;
      const kept = cache.get(run.id);
      if (kept && kept.updated_at === run.updated_at && kept.status === run.status) return kept;
      cache.set(run.id, run);
      return run;
    };
    return {
      createWorkflowRun: async (input) => remember(await store.createWorkflowRun(input))!,
      getWorkflowRun: async (id) => remember(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => (await store.listWorkflowRuns(options)).map((r) => remember(r)!),
      deleteWorkflowRun: async (id) => {
        cache.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

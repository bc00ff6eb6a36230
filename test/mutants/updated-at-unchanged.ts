import { eachRun, mutant } from './mutant.js';

// updated_at is never moved on: every run shows the updated_at it was created with.
export default mutant({
  name: 'updated-at-unchanged',
  rule: 'WF-UPD-2',
  breaks: 'updated_at never moves on from created_at',
  wrap: (store) => {
    const shown = <T>(value: T): T =>
      eachRun(value, (run) => {
        run.updated_at = run.created_at;
      });
    return {
      updateWorkflowRun: async (id, patch, options) => shown(await store.updateWorkflowRun(id, patch, options)),
      getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
    };
  },
});

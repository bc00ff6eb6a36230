import { eachRun, mutant } from './mutant.js';

// updated_at is never moved on: every run shows the updated_at it was created with.
export default mutant('updated-at-unchanged', "an update sets updated_at to the store's now", (store) => {
  const shown = <T>(value: T): T =>
    eachRun(value, (run) => {
      run.updated_at = run.created_at;
    });
  return {
    updateWorkflowRun: async (id, patch, options) => shown(await store.updateWorkflowRun(id, patch, options)),
    getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
    listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
  };
});

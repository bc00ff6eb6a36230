import { eachRun, mutant } from './mutant.js';

// Keeps the created_at an id was first created with (as an upsert that leaves its "created" column alone
// would): a run created again after a delete shows the deleted run's created_at.
export default mutant({
  name: 'recreated-run-keeps-created-at',
  rule: 'WF-RUN-6',
  breaks: "a run created again after a delete keeps the deleted run's created_at",
  wrap: (store, kept) => {
    const first = kept('first created_at', () => new Map<string, string>());
    const shown = <T>(value: T): T =>
      eachRun(value, (run) => {
        run.created_at = first.get(run.id) ?? run.created_at;
      });
    return {
      async createWorkflowRun(input) {
        const run = await store.createWorkflowRun(input);
        if (!first.has(run.id)) first.set(run.id, run.created_at);
        return shown(run);
      },
      getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
      updateWorkflowRun: async (id, patch, options) => shown(await store.updateWorkflowRun(id, patch, options)),
    };
  },
});

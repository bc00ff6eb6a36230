import { eachRun, mutant } from './mutant.js';

// Moves updated_at only when the status changes: an update of the metadata alone leaves it.
export default mutant({
  name: 'metadata-update-keeps-updated-at',
  rule: 'WF-UPD-2',
  breaks: 'an update that changes only the metadata leaves updated_at where it was',
  wrap: (store, kept) => {
    const held = kept('updated_at held', () => new Map<string, string>());
    const shown = <T>(value: T): T =>
      eachRun(value, (run) => {
        run.updated_at = held.get(run.id) ?? run.updated_at;
      });
    return {
      async updateWorkflowRun(id, patch, options) {
        const before = shown(await store.getWorkflowRun(id).catch(() => null));
        const run = await store.updateWorkflowRun(id, patch, options);
        if (before !== null && run.status === before.status) held.set(run.id, before.updated_at);
        else held.delete(run.id);
        return shown(run);
      },
      getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
      async deleteWorkflowRun(id) {
        held.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

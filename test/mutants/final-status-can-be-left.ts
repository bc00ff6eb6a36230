import { isFinal } from '../../src/contract/transitions.js';
import type { RunStatus } from '../../src/contract/types.js';
import { eachRun, mutant } from './mutant.js';

// A completed or cancelled run may move to any status (kept beside the data, as a bad store would).
export default mutant({
  name: 'final-status-can-be-left',
  rule: 'WF-TRN-2',
  breaks: 'a completed or cancelled run may move to any status',
  wrap: (store, kept) => {
    const moved = kept('statuses left from final', () => new Map<string, RunStatus>());
    const shown = <T>(value: T): T =>
      eachRun(value, (run) => {
        run.status = moved.get(run.id) ?? run.status;
      });
    return {
      async updateWorkflowRun(id, patch, options) {
        const current = shown(typeof id === 'string' ? await store.getWorkflowRun(id).catch(() => null) : null);
        const leaving =
          current && isFinal(current.status) && patch?.status !== undefined && patch.status !== current.status;
        if (!leaving || (options?.expected_status !== undefined && options.expected_status !== current.status)) {
          return shown(await store.updateWorkflowRun(id, patch, options));
        }
        const run = await store.updateWorkflowRun(id, { metadata: patch.metadata ?? {} });
        moved.set(id, patch.status!);
        return shown(run);
      },
      getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
      listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
      async deleteWorkflowRun(id) {
        moved.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

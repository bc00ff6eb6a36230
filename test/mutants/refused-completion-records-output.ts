import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Writes a completion's output before its event is checked: a node_completed refused as INVALID_INPUT
// still leaves its output (kept beside the data, shown with the store's own).
export default mutant({
  name: 'refused-completion-records-output',
  rule: 'WF-OUT-2',
  breaks: 'a node_completed event that is refused still records its output',
  wrap: (store, kept) => {
    const leftovers = kept('outputs of refused events', () => new Map<string, Map<string, JsonValue>>());
    return {
      async createWorkflowEvent(input, options) {
        try {
          return await store.createWorkflowEvent(input, options);
        } catch (error) {
          const node: unknown = input?.payload?.node_id;
          const known =
            typeof input?.run_id === 'string' && (await store.getWorkflowRun(input.run_id).catch(() => null));
          if (isWorkflowStoreError(error, 'INVALID_INPUT') && input.event_type === 'node_completed' && known) {
            const outputs = leftovers.get(input.run_id) ?? new Map<string, JsonValue>();
            leftovers.set(input.run_id, outputs.set(String(node), structuredClone(input.payload?.output ?? null)));
          }
          throw error;
        }
      },
      getCompletedDagNodeOutputs: async (runId) =>
        new Map([...(await store.getCompletedDagNodeOutputs(runId)), ...(leftovers.get(runId) ?? [])]),
      async deleteWorkflowRun(id) {
        leftovers.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

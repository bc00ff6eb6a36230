import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Deletes the run but keeps its node outputs: a run created again with the same id returns them.
export default mutant({
  name: 'deleted-outputs-come-back',
  rule: 'WF-RUN-6',
  breaks: "a deleted run's node outputs come back with a run created again with its id",
  wrap: (store, kept) => {
    const leftovers = kept('leftover outputs', () => new Map<string, Map<string, JsonValue>>());
    return {
      async deleteWorkflowRun(id) {
        const outputs = await store.getCompletedDagNodeOutputs(id).catch(() => new Map<string, JsonValue>());
        const existed = await store.deleteWorkflowRun(id);
        if (existed) leftovers.set(id, outputs);
        return existed;
      },
      async getCompletedDagNodeOutputs(runId) {
        const fresh = await store.getCompletedDagNodeOutputs(runId);
        return new Map([...(leftovers.get(runId) ?? []), ...fresh]);
      },
    };
  },
});

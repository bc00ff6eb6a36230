import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Reads the outputs from the log, keeping each node's first completion instead of its latest.
export default mutant(
  'first-completion-wins',
  'for a node completed more than once, the latest completion wins',
  (store) => ({
    async getCompletedDagNodeOutputs(runId) {
      await store.getCompletedDagNodeOutputs(runId); // the same errors as the store's
      const outputs = new Map<string, JsonValue>();
      for (const e of await store.listWorkflowEvents(runId)) {
        const node = e.payload.node_id as string;
        if (e.event_type === 'node_completed' && !outputs.has(node)) outputs.set(node, e.payload.output ?? null);
      }
      return outputs;
    },
  }),
);

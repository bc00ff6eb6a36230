import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Reads the outputs from the log, keeping each node's first completion instead of its latest.
export default mutant({
  name: 'first-completion-wins',
  rule: 'WF-OUT-3',
  breaks: 'a node completed twice keeps its first output, not its latest',
  wrap: (store) => ({
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
});

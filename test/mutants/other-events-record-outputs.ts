import type { JsonValue } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Records an output for any event whose payload has a node_id, not only for node_completed (kept beside
// the data, shown after the store's own).
export default mutant({
  name: 'other-events-record-outputs',
  rule: 'WF-OUT-1',
  breaks: 'an event of another type than node_completed with a payload.node_id records an output',
  wrap: (store, kept) => {
    const extra = kept('outputs of other events', () => new Map<string, Map<string, JsonValue>>());
    return {
      async createWorkflowEvent(input, options) {
        const event = await store.createWorkflowEvent(input, options);
        const node = event.payload.node_id;
        if (event.event_type !== 'node_completed' && typeof node === 'string') {
          const outputs = extra.get(event.run_id) ?? new Map<string, JsonValue>();
          extra.set(event.run_id, outputs.set(node, event.payload.output ?? null));
        }
        return event;
      },
      getCompletedDagNodeOutputs: async (runId) =>
        new Map([...(await store.getCompletedDagNodeOutputs(runId)), ...(extra.get(runId) ?? [])]),
      async deleteWorkflowRun(id) {
        extra.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

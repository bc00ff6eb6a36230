import type { JsonValue, WorkflowEventInput } from '../../src/contract/types.js';
import { mutant, noticingListedEvents, ownField, plainList } from './mutant.js';

// Records the outputs of a list with an insert that ignores duplicates: a node completed twice in one list
// keeps its first output, not the later one.
export default mutant({
  name: 'events-first-completion-kept',
  rule: 'WF-UPD-5',
  breaks: 'a node completed twice in options.events keeps the earlier output',
  wrap: (store, kept) => {
    // By run: node → its first output in a list, and the sequence of its last completion there.
    const firsts = kept('firsts', () => new Map<string, Map<string, { output: JsonValue; sequence: number }>>());
    return {
      async updateWorkflowRun(id, patch, options) {
        const events = ownField(options, 'events');
        return noticingListedEvents(store, (runId, sequences) => {
          const byNode = firsts.get(runId) ?? new Map<string, { output: JsonValue; sequence: number }>();
          const inList = new Map<string, JsonValue>();
          for (const [i, e] of (plainList(events) ? (events as WorkflowEventInput[]) : []).entries()) {
            if (e.event_type !== 'node_completed') continue;
            const node = e.payload!.node_id as string;
            if (!inList.has(node)) inList.set(node, e.payload!.output ?? null);
            byNode.set(node, { output: inList.get(node)!, sequence: sequences[i]! });
          }
          firsts.set(runId, byNode);
        })(id, patch, options);
      },
      async getCompletedDagNodeOutputs(runId) {
        const outputs = await store.getCompletedDagNodeOutputs(runId);
        const byNode = firsts.get(runId);
        if (byNode === undefined) return outputs;
        const log = await store.listWorkflowEvents(runId);
        for (const [node, { output, sequence }] of byNode) {
          const latest = log.filter((e) => e.event_type === 'node_completed' && e.payload.node_id === node).at(-1);
          if (latest?.sequence === sequence) outputs.set(node, output);
        }
        return outputs;
      },
      async deleteWorkflowRun(id) {
        firsts.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

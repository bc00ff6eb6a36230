import type { JsonValue } from '../../src/contract/types.js';
import { mutant, noticingListedEvents } from './mutant.js';

// Records outputs for options.event and createWorkflowEvent only: a node_completed in options.events is
// stored as an event, and its output is not recorded.
export default mutant({
  name: 'events-outputs-unrecorded',
  rule: 'WF-UPD-5',
  breaks: 'a node_completed in options.events records no output',
  wrap: (store, kept) => {
    const listed = kept('listed', () => new Map<string, Set<number>>());
    return {
      updateWorkflowRun: noticingListedEvents(store, (runId, sequences) => {
        if (!listed.has(runId)) listed.set(runId, new Set());
        for (const s of sequences) listed.get(runId)!.add(s);
      }),
      async getCompletedDagNodeOutputs(runId) {
        const outputs = await store.getCompletedDagNodeOutputs(runId);
        const skipped = listed.get(runId);
        if (skipped === undefined) return outputs;
        const latest = new Map<string, JsonValue>();
        for (const e of await store.listWorkflowEvents(runId)) {
          if (e.event_type !== 'node_completed' || skipped.has(e.sequence)) continue;
          latest.delete(e.payload.node_id as string);
          latest.set(e.payload.node_id as string, e.payload.output ?? null);
        }
        return latest;
      },
      async deleteWorkflowRun(id) {
        listed.delete(id);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

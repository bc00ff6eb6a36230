import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Deletes the run but keeps its events: a run created again with the same id shows the old ones.
export default mutant({
  name: 'deleted-events-come-back',
  rule: 'WF-RUN-6',
  breaks: "a deleted run's events come back with a run created again with its id",
  wrap: (store, kept) => {
    const leftovers = kept('leftover events', () => new Map<string, WorkflowEvent[]>());
    return {
      async deleteWorkflowRun(id) {
        const events = await store.listWorkflowEvents(id).catch(() => []);
        const existed = await store.deleteWorkflowRun(id);
        if (existed) leftovers.set(id, events);
        return existed;
      },
      async createWorkflowRun(input) {
        const run = await store.createWorkflowRun(input);
        for (const e of leftovers.get(run.id) ?? []) {
          if (e.event_type !== 'node_completed') {
            await store.createWorkflowEvent({ run_id: run.id, event_type: e.event_type, payload: e.payload });
          }
        }
        leftovers.delete(run.id);
        return run;
      },
    };
  },
});

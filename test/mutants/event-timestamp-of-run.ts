import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Stamps an event with its run's updated_at (the time of the run's row), not the store's now. Random
// sequences of calls meet it within a few runs — an append after the clock moved — where scenarios meet it
// only when they read an event's time: it is WF-ALL-1's mutant, the bug the model finds (a clause of
// WF-VAL-7 too, which the scenario of an event's time catches).
export default mutant({
  name: 'event-timestamp-of-run',
  rule: 'WF-ALL-1',
  breaks: "an event's timestamp is its run's updated_at, not the store's time of the call",
  wrap: (store, kept) => {
    const stamps = kept('event timestamps', () => new Map<string, string>());
    const shown = (e: WorkflowEvent): WorkflowEvent => ({
      ...e,
      timestamp: stamps.get(`${e.run_id} ${e.sequence}`) ?? e.timestamp,
    });
    return {
      async createWorkflowEvent(input, options) {
        const event = await store.createWorkflowEvent(input, options);
        const run = await store.getWorkflowRun(event.run_id);
        if (run !== null) stamps.set(`${event.run_id} ${event.sequence}`, run.updated_at);
        return shown(event);
      },
      listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).map(shown),
      async deleteWorkflowRun(id) {
        for (const key of stamps.keys()) if (key.startsWith(`${id} `)) stamps.delete(key);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

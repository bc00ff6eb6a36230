import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant, noticingListedEvents } from './mutant.js';

// Timestamps each event of the list with the clock's time, as a store that stamps every row it inserts does:
// when the clock went back, updated_at stays (WF-UPD-2) and the events show an earlier time than the update.
export default mutant({
  name: 'events-timestamped-now',
  rule: 'WF-UPD-5',
  breaks: "the events of options.events are timestamped with the clock's time, not the update's updated_at",
  needs: ['clock'],
  wrap: (store, kept, offered) => {
    const stamps = kept('stamps', () => new Map<string, string>());
    const shown = (e: WorkflowEvent) => ({ ...e, timestamp: stamps.get(`${e.run_id} ${e.sequence}`) ?? e.timestamp });
    return {
      updateWorkflowRun: noticingListedEvents(store, (runId, sequences) => {
        const now = offered.now?.().toISOString();
        if (now !== undefined) for (const s of sequences) stamps.set(`${runId} ${s}`, now);
      }),
      listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).map(shown),
      async deleteWorkflowRun(id) {
        for (const key of stamps.keys()) if (key.startsWith(`${id} `)) stamps.delete(key);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

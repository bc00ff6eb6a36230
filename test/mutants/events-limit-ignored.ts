import type { WorkflowEventInput } from '../../src/contract/types.js';
import { mutant, ownField, plainList } from './mutant.js';

// Has no bound on options.events: more than 1,000 are taken (those past 1,000 appended after the update).
export default mutant({
  name: 'events-limit-ignored',
  rule: 'WF-UPD-5',
  breaks: 'more than 1,000 events with one update are accepted',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (!plainList(events) || events.length <= 1000) return store.updateWorkflowRun(id, patch, options);
      const run = await store.updateWorkflowRun(id, patch, { ...options, events: events.slice(0, 1000) as never });
      for (const event of events.slice(1000) as WorkflowEventInput[]) {
        await store.createWorkflowEvent({ ...event, run_id: run.id });
      }
      return run;
    },
  }),
});

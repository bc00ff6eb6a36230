import type { WorkflowEventInput } from '../../src/contract/types.js';
import { mutant, ownField, plainList, tick } from './mutant.js';

// Commits the update, then appends each event of the list in a call of its own: a reader sees the new status
// before its events, and an event refused half-way leaves the update and the events before it written.
export default mutant({
  name: 'events-committed-apart',
  rule: 'WF-UPD-5',
  breaks: 'the events of options.events are appended one by one after the update, not in its commit',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (!plainList(events)) return store.updateWorkflowRun(id, patch, options);
      const { events: _events, ...rest } = options!;
      const run = await store.updateWorkflowRun(id, patch, rest);
      for (const event of events as WorkflowEventInput[]) {
        await tick();
        await store.createWorkflowEvent({ ...event, run_id: run.id });
      }
      return run;
    },
  }),
});

import { mutant, tick } from './mutant.js';

// Commits the update, then (after an await, as a second statement or file write would) appends the event:
// a reader can see the new status without its event, and a refused event leaves the update done.
export default mutant({
  name: 'update-event-separate',
  rule: 'WF-UPD-4',
  breaks: 'an update and its event are committed apart: a reader sees one without the other',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const { event, ...rest } = options ?? {};
      if (event === undefined) return store.updateWorkflowRun(id, patch, options);
      const run = await store.updateWorkflowRun(id, patch, rest);
      await tick();
      await store.createWorkflowEvent({ run_id: run.id, ...event });
      return run;
    },
  }),
});

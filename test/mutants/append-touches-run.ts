import { mutant } from './mutant.js';

// Touches the run on every append (as a "last activity" column would): updated_at moves with each event.
export default mutant({
  name: 'append-touches-run',
  rule: 'WF-SEQ-3',
  breaks: "appending an event moves the run's updated_at",
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      const event = await store.createWorkflowEvent(input, options);
      await store.updateWorkflowRun(event.run_id, {});
      return event;
    },
  }),
});

import { mutant } from './mutant.js';

export default mutant({
  name: 'sequences-start-at-zero',
  rule: 'WF-SEQ-1',
  breaks: 'events are numbered from 0',
  wrap: (store) => ({
    createWorkflowEvent: async (input, options) => {
      const event = await store.createWorkflowEvent(input, options);
      return { ...event, sequence: event.sequence - 1 };
    },
    listWorkflowEvents: async (runId, options) =>
      (await store.listWorkflowEvents(runId, options)).map((e) => ({ ...e, sequence: e.sequence - 1 })),
  }),
});

import { mutant } from './mutant.js';

export default mutant('sequences-start-at-zero', 'events are numbered 1, 2, 3, …', (store) => ({
  createWorkflowEvent: async (input) => {
    const event = await store.createWorkflowEvent(input);
    return { ...event, sequence: event.sequence - 1 };
  },
  listWorkflowEvents: async (runId, options) =>
    (await store.listWorkflowEvents(runId, options)).map((e) => ({ ...e, sequence: e.sequence - 1 })),
}));

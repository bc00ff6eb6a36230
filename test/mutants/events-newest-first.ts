import { mutant } from './mutant.js';

export default mutant({
  name: 'events-newest-first',
  rule: 'WF-SEQ-2',
  breaks: 'events are listed newest first, not in sequence order',
  wrap: (store) => ({
    listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).reverse(),
  }),
});

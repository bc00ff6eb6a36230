import { mutant } from './mutant.js';

export default mutant('events-newest-first', 'events are listed in sequence order', (store) => ({
  listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).reverse(),
}));

import { wrapMutant } from './mutant.js';

export default wrapMutant('event-limit-ignored', 'listWorkflowEvents returns at most limit events', (store) => ({
  listWorkflowEvents: (runId, { limit: _ignored, ...rest } = {}) => store.listWorkflowEvents(runId, rest),
}));

import { mutant } from './mutant.js';

export default mutant('event-limit-ignored', 'listWorkflowEvents returns at most limit events', (store) => ({
  listWorkflowEvents: (runId, { limit: _ignored, ...rest } = {}) => store.listWorkflowEvents(runId, rest),
}));

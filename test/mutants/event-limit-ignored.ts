import { mutant } from './mutant.js';

export default mutant({
  name: 'event-limit-ignored',
  rule: 'WF-SEQ-2',
  breaks: 'listWorkflowEvents ignores limit',
  wrap: (store) => ({
    listWorkflowEvents: (runId, { limit: _ignored, ...rest } = {}) => store.listWorkflowEvents(runId, rest),
  }),
});

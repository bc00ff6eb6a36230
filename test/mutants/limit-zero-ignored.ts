import { mutant } from './mutant.js';

// Tests the limit for truth (`if (limit)`): limit 0 lists every event instead of none.
export default mutant({
  name: 'limit-zero-ignored',
  rule: 'WF-VAL-10',
  breaks: 'listWorkflowEvents with limit 0 lists every event instead of none',
  wrap: (store) => ({
    listWorkflowEvents: (runId, options) =>
      store.listWorkflowEvents(runId, options?.limit === 0 ? { ...options, limit: undefined } : options),
  }),
});

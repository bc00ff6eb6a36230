import { mutant } from './mutant.js';

// Checks the events' limit but not the runs': a negative limit is passed to slice(), which drops runs from
// the end instead of refusing it.
export default mutant({
  name: 'runs-limit-unchecked',
  rule: 'WF-VAL-14',
  breaks: 'listWorkflowRuns takes a negative limit instead of INVALID_INPUT',
  wrap: (store) => ({
    async listWorkflowRuns(options) {
      const limit: unknown = options?.limit;
      if (typeof limit !== 'number' || limit >= 0) return store.listWorkflowRuns(options);
      return (await store.listWorkflowRuns({ ...options, limit: undefined })).slice(0, limit);
    },
  }),
});

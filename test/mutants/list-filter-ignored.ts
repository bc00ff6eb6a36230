import { mutant } from './mutant.js';

export default mutant({
  name: 'list-filter-ignored',
  rule: 'WF-RUN-4',
  breaks: 'listWorkflowRuns ignores the status filter',
  wrap: (store) => ({
    listWorkflowRuns: ({ status: _ignored, ...rest } = {}) => store.listWorkflowRuns(rest),
  }),
});

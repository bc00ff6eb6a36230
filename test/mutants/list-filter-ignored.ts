import { mutant } from './mutant.js';

export default mutant('list-filter-ignored', 'listWorkflowRuns filters by status', (store) => ({
  listWorkflowRuns: ({ status: _ignored, ...rest } = {}) => store.listWorkflowRuns(rest),
}));

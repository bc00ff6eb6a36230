import { wrapMutant } from './mutant.js';

export default wrapMutant('list-filter-ignored', 'listWorkflowRuns filters by status', (store) => ({
  listWorkflowRuns: ({ status: _ignored, ...rest } = {}) => store.listWorkflowRuns(rest),
}));

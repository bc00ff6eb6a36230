import { mutant } from './mutant.js';

// Builds its query from one filter: given both, it keeps the runs of the status, whatever their workflow.
export default mutant({
  name: 'name-filter-dropped-with-status',
  rule: 'WF-RUN-4',
  breaks: 'listWorkflowRuns given a status and a workflow_name filter applies only the status',
  wrap: (store) => ({
    listWorkflowRuns: (options) =>
      store.listWorkflowRuns(
        options?.status !== undefined && options.workflow_name !== undefined
          ? { ...options, workflow_name: undefined }
          : options,
      ),
  }),
});

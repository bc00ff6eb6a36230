import { mutant } from './mutant.js';

// Takes the first `limit` runs of the ordered list, then filters them: the limit counts runs the filters
// drop.
export default mutant({
  name: 'limit-before-filtering',
  rule: 'WF-RUN-4',
  breaks: "listWorkflowRuns' limit is applied before the filters",
  wrap: (store) => ({
    async listWorkflowRuns(options) {
      const { limit, status, workflow_name } = options ?? {};
      const filtered = await store.listWorkflowRuns(options); // the same errors as the store's
      if (limit === undefined || (status === undefined && workflow_name === undefined)) return filtered;
      return (await store.listWorkflowRuns({ limit })).filter(
        (run) =>
          (status === undefined || run.status === status) &&
          (workflow_name === undefined || run.workflow_name === workflow_name),
      );
    },
  }),
});

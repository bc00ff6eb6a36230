import { mutant } from './mutant.js';

// Returns the run as it was given, not as stored: without `status` or `metadata`, the defaults the store
// applied are missing from what createWorkflowRun returns (the stored run is right).
export default mutant({
  name: 'create-returns-input',
  rule: 'WF-RUN-1',
  breaks: 'createWorkflowRun returns the run without the defaults it stored (status, metadata)',
  wrap: (store) => ({
    async createWorkflowRun(input) {
      const run = await store.createWorkflowRun(input);
      return { ...run, status: input.status, metadata: input.metadata } as typeof run;
    },
  }),
});

import { mutant } from './mutant.js';

// Creating a run whose id exists replaces it.
export default mutant({
  name: 'duplicate-id-overwrites',
  rule: 'WF-RUN-3',
  breaks: 'creating a run whose id exists replaces it instead of RUN_ALREADY_EXISTS',
  wrap: (store) => ({
    async createWorkflowRun(input) {
      if (typeof input?.id === 'string' && (await store.getWorkflowRun(input.id).catch(() => null)) !== null) {
        await store.deleteWorkflowRun(input.id);
      }
      return store.createWorkflowRun(input);
    },
  }),
});

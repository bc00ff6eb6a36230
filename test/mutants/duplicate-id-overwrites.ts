import { mutant } from './mutant.js';

// Creating a run whose id exists replaces it.
export default mutant(
  'duplicate-id-overwrites',
  'a duplicate id is RUN_ALREADY_EXISTS and the existing run is untouched',
  (store) => ({
    async createWorkflowRun(input) {
      if (typeof input?.id === 'string' && (await store.getWorkflowRun(input.id).catch(() => null)) !== null) {
        await store.deleteWorkflowRun(input.id);
      }
      return store.createWorkflowRun(input);
    },
  }),
);

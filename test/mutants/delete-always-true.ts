import { mutant } from './mutant.js';

// Answers a delete with true whether or not the run existed.
export default mutant({
  name: 'delete-always-true',
  rule: 'WF-RUN-5',
  breaks: 'deleteWorkflowRun returns true also when the run did not exist',
  wrap: (store) => ({
    deleteWorkflowRun: async (id) => {
      await store.deleteWorkflowRun(id);
      return true;
    },
  }),
});

import { mutant } from './mutant.js';

// Throws plain Errors that carry the code: `name` is "Error", not "WorkflowStoreError".
export default mutant({
  name: 'plain-errors',
  rule: 'WF-ERR-1',
  breaks: 'createWorkflowEvent fails with a plain Error (name "Error") carrying the code',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(input, options).catch((error: { message: string; code: string }) => {
        throw Object.assign(new Error(error.message), { code: error.code });
      }),
  }),
});

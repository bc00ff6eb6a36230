import { mutant } from './mutant.js';

// Takes null for "absent": a run created with `id: null` gets a generated id instead of being refused.
export default mutant({
  name: 'null-id-generated',
  rule: 'WF-VAL-13',
  breaks: 'createWorkflowRun with id null generates an id instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowRun: (input) => {
      if (input?.id !== null) return store.createWorkflowRun(input);
      const { id: _null, ...rest } = input;
      return store.createWorkflowRun(rest);
    },
  }),
});

import { types } from 'node:util';
import { mutant } from './mutant.js';

// Takes the options of createWorkflowEvent it knows and ignores the rest: a misspelt expectedStatus is
// dropped, and the append is not fenced.
export default mutant({
  name: 'append-options-open',
  rule: 'WF-SEQ-4',
  breaks: 'createWorkflowEvent ignores an option it does not define instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent(input, options) {
      if (typeof options !== 'object' || options === null || types.isProxy(options) || Array.isArray(options)) {
        return store.createWorkflowEvent(input, options);
      }
      const { expected_status, expected_metadata } = options;
      return store.createWorkflowEvent(input, { expected_status, expected_metadata });
    },
  }),
});

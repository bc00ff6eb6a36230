import { mutant, ownField } from './mutant.js';

// Fences appends by status only: expected_metadata on createWorkflowEvent is ignored, so a worker whose claim
// token was replaced still writes to the run.
export default mutant({
  name: 'fenced-append-unchecked',
  rule: 'WF-SEQ-4',
  breaks: 'createWorkflowEvent ignores expected_metadata',
  wrap: (store) => ({
    createWorkflowEvent(input, options) {
      if (ownField(options, 'expected_metadata') === undefined) return store.createWorkflowEvent(input, options);
      const { expected_metadata: _ignored, ...rest } = options!;
      return store.createWorkflowEvent(input, rest);
    },
  }),
});

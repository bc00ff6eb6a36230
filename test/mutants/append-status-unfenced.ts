import { mutant, ownField } from './mutant.js';

// Fences appends by metadata only: expected_status on createWorkflowEvent is ignored, so a cancelled run
// still takes events.
export default mutant({
  name: 'append-status-unfenced',
  rule: 'WF-SEQ-4',
  breaks: 'createWorkflowEvent ignores expected_status',
  wrap: (store) => ({
    createWorkflowEvent(input, options) {
      if (ownField(options, 'expected_status') === undefined) return store.createWorkflowEvent(input, options);
      const { expected_status: _ignored, ...rest } = options!;
      return store.createWorkflowEvent(input, rest);
    },
  }),
});

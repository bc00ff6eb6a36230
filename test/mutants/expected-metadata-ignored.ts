import { mutant, ownField } from './mutant.js';

// Knows expected_status only: an update with expected_metadata applies whatever the stored metadata holds.
export default mutant({
  name: 'expected-metadata-ignored',
  rule: 'WF-CAS-3',
  breaks: 'updateWorkflowRun ignores expected_metadata',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      if (ownField(options, 'expected_metadata') === undefined) return store.updateWorkflowRun(id, patch, options);
      const { expected_metadata: _ignored, ...rest } = options!;
      return store.updateWorkflowRun(id, patch, rest);
    },
  }),
});

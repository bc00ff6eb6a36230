import { mutant } from './mutant.js';

// Takes a null patch for an empty one (as `patch ?? {}` would): the update applies, changing updated_at,
// instead of INVALID_INPUT.
export default mutant({
  name: 'null-patch-taken-as-empty',
  rule: 'WF-VAL-16',
  breaks: 'updateWorkflowRun with a null patch updates the run as with {} instead of INVALID_INPUT',
  wrap: (store) => ({
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch === null ? {} : patch, options),
  }),
});

import { mutant } from './mutant.js';

// Takes an omitted patch for an empty one (a default parameter `patch = {}`): the update applies, changing
// updated_at, instead of INVALID_INPUT.
export default mutant({
  name: 'omitted-patch-taken-as-empty',
  rule: 'WF-VAL-16',
  breaks: 'updateWorkflowRun without a patch updates the run as with {} instead of INVALID_INPUT',
  wrap: (store) => ({
    updateWorkflowRun: (id, patch = {}, options) => store.updateWorkflowRun(id, patch, options),
  }),
});

import { isFinal, invalidTransition } from '../../src/contract/transitions.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

// Treats every patch with a status on a final run as a transition: keeping "completed" is refused.
export default mutant({
  name: 'same-final-status-refused',
  rule: 'WF-UPD-3',
  breaks: 'a patch keeping a final status (a metadata-only update) is refused as INVALID_TRANSITION',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const request = parseUpdateRun(id, patch, options);
      const current = await store.getWorkflowRun(request.id);
      const stays = current !== null && request.status === current.status && isFinal(current.status);
      if (stays && (request.expected_status ?? current.status) === current.status) {
        throw invalidTransition(current.id, current.status, current.status);
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

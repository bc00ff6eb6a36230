import { canTransition, invalidTransition } from '../../src/contract/transitions.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

// Checks the transition before expected_status: a refused transition wins over a status conflict.
export default mutant({
  name: 'transition-checked-first',
  rule: 'WF-CAS-2',
  breaks: 'updateWorkflowRun checks the transition before expected_status',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const request = parseUpdateRun(id, patch, options);
      const current = await store.getWorkflowRun(request.id);
      if (current !== null && request.status !== undefined && !canTransition(current.status, request.status)) {
        throw invalidTransition(current.id, current.status, request.status);
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { canTransition, invalidTransition } from '../../src/contract/transitions.js';
import type { RunStatus } from '../../src/contract/types.js';
import { mutant, ownField } from './mutant.js';

// Checks the transition before expected_metadata: a move the run cannot make is INVALID_TRANSITION even when
// the metadata differs.
export default mutant({
  name: 'transition-before-metadata',
  rule: 'WF-CAS-3',
  breaks: 'the transition is checked before expected_metadata',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      try {
        return await store.updateWorkflowRun(id, patch, options);
      } catch (error) {
        if (!isWorkflowStoreError(error, 'STATUS_CONFLICT') || !error.field?.startsWith('metadata.')) throw error;
        const from = (await store.getWorkflowRun(id))!.status;
        const to = ownField(patch, 'status') as RunStatus | undefined;
        throw to !== undefined && to !== from && !canTransition(from, to) ? invalidTransition(id, from, to) : error;
      }
    },
  }),
});

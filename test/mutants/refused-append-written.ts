import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Writes the event, then checks the conditions and reports the conflict without taking the event back.
export default mutant({
  name: 'refused-append-written',
  rule: 'WF-SEQ-4',
  breaks: 'a fenced append refused with STATUS_CONFLICT is written all the same',
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      try {
        return await store.createWorkflowEvent(input, options);
      } catch (error) {
        if (isWorkflowStoreError(error, 'STATUS_CONFLICT')) await store.createWorkflowEvent(input).catch(() => {});
        throw error;
      }
    },
  }),
});

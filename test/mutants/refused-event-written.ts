import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Writes the event before checking its payload: an event refused for its payload is still appended (with an
// empty payload), and the call fails all the same.
export default mutant({
  name: 'refused-event-written',
  rule: 'WF-VAL-11',
  breaks: 'an event refused as INVALID_INPUT for its payload is appended all the same',
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      try {
        return await store.createWorkflowEvent(input, options);
      } catch (error) {
        if (isWorkflowStoreError(error, 'INVALID_INPUT') && input?.payload !== undefined) {
          await store.createWorkflowEvent({ run_id: input.run_id, event_type: input.event_type }).catch(() => {});
        }
        throw error;
      }
    },
  }),
});

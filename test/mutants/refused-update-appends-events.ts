import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { WorkflowEventInput } from '../../src/contract/types.js';
import { mutant, ownField, plainList } from './mutant.js';

// Writes the events of a list before the update's checks, and keeps them when the update is refused
// (STATUS_CONFLICT, INVALID_TRANSITION): a refused update leaves its events in the log.
export default mutant({
  name: 'refused-update-appends-events',
  rule: 'WF-UPD-5',
  breaks: 'an update refused by its checks still appends the events of options.events',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      try {
        return await store.updateWorkflowRun(id, patch, options);
      } catch (error) {
        const events = ownField(options, 'events');
        const refused =
          isWorkflowStoreError(error, 'STATUS_CONFLICT') || isWorkflowStoreError(error, 'INVALID_TRANSITION');
        if (refused && plainList(events)) {
          for (const event of events as WorkflowEventInput[]) {
            await store.createWorkflowEvent({ ...event, run_id: id }).catch(() => {});
          }
        }
        throw error;
      }
    },
  }),
});

import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

// Applies a patch that changes the status or one that changes the metadata, not both: with a new status,
// the metadata of the patch is dropped.
export default mutant({
  name: 'status-change-drops-metadata',
  rule: 'WF-UPD-1',
  breaks: 'an update that changes the status drops the metadata of its patch',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const request = parseUpdateRun(id, patch, options);
      const current = await store.getWorkflowRun(request.id);
      const changes = current !== null && request.status !== undefined && request.status !== current.status;
      return store.updateWorkflowRun(id, changes ? { status: request.status } : patch, options);
    },
  }),
});

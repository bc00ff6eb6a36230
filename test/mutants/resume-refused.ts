import { invalidTransition } from '../../src/contract/transitions.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

// Has "failed" as a final status: resuming a failed run (failed → running) is refused.
export default mutant({
  name: 'resume-refused',
  rule: 'WF-TRN-1',
  breaks: 'the allowed transition failed → running (resume) is refused as INVALID_TRANSITION',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const request = parseUpdateRun(id, patch, options);
      const current = await store.getWorkflowRun(request.id);
      const resume = current?.status === 'failed' && request.status === 'running';
      if (resume && (request.expected_status ?? 'failed') === 'failed') {
        throw invalidTransition(current.id, 'failed', 'running');
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

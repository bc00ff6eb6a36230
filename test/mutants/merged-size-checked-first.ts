import { invalidInput } from '../../src/contract/errors.js';
import { JSON_MAX_BYTES } from '../../src/contract/limits.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

// Checks the size of the merged metadata with the rest of the input, before expected_status and the
// transition: an update that would both make the metadata too big and be refused by them is INVALID_INPUT
// (WF-ERR-5 names the exception, WF-VAL-15 states it).
export default mutant({
  name: 'merged-size-checked-first',
  rule: 'WF-VAL-15',
  breaks: 'the merged metadata is checked before expected_status and the transition, not last',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      let request: ReturnType<typeof parseUpdateRun>;
      try {
        request = parseUpdateRun(id, patch, options);
      } catch {
        return store.updateWorkflowRun(id, patch, options); // refused input, or a closed store, as usual
      }
      const current = await store.getWorkflowRun(request.id);
      if (current !== null && request.metadata !== undefined) {
        const bytes = Buffer.byteLength(JSON.stringify({ ...current.metadata, ...request.metadata }), 'utf8');
        if (bytes > JSON_MAX_BYTES) throw invalidInput('patch.metadata', `the merged metadata is ${bytes} bytes`);
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

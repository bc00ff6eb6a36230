import { invalidInput } from '../../src/contract/errors.js';
import { JSON_MAX_BYTES } from '../../src/contract/limits.js';
import { parseUpdateRun } from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

/** The UTF-8 bytes of every payload of the update's events together; 0 for input the store refuses anyway. */
function listBytes(id: unknown, patch: unknown, options: unknown): number {
  try {
    return parseUpdateRun(id, patch, options).events.reduce((sum, e) => sum + Buffer.byteLength(e.payloadJson), 0);
  } catch {
    return 0;
  }
}

// Stores the list as one JSON value and applies the 16 MiB limit to it: two events of 16 MiB each, each
// within the limit, are refused together.
export default mutant({
  name: 'events-size-limit-on-the-list',
  rule: 'WF-UPD-5',
  breaks: 'the 16 MiB limit applies to all the payloads of options.events together, not to each',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const bytes = listBytes(id, patch, options);
      if (bytes > JSON_MAX_BYTES) {
        throw invalidInput('options.events', `the events hold ${bytes} bytes, over ${JSON_MAX_BYTES}`);
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

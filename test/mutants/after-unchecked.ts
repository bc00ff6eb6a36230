import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Uses `after` only when it reads as a position: any other value is ignored, and the listing starts over.
export default mutant({
  name: 'after-unchecked',
  rule: 'WF-RUN-7',
  breaks: 'an after that is not a position is ignored instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (options) =>
      store.listWorkflowRuns(options).catch((error: unknown) => {
        if (!isWorkflowStoreError(error, 'INVALID_INPUT') || !error.field?.startsWith('options.after')) throw error;
        const { after: _ignored, ...rest } = options!;
        return store.listWorkflowRuns(rest);
      }),
  }),
});

import { isWorkflowStoreError } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Uses created_after and created_before only when they parse as timestamps: any other value is ignored.
export default mutant({
  name: 'created-bound-unchecked',
  rule: 'WF-RUN-7',
  breaks: 'a created_after or created_before that is not a timestamp is ignored instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (options) =>
      store.listWorkflowRuns(options).catch((error: unknown) => {
        const field = isWorkflowStoreError(error, 'INVALID_INPUT') ? error.field : undefined;
        if (field !== 'options.created_after' && field !== 'options.created_before') throw error;
        const { created_after, created_before, ...rest } = options!;
        const kept = field === 'options.created_after' ? { created_before } : { created_after };
        return store.listWorkflowRuns({ ...rest, ...kept });
      }),
  }),
});

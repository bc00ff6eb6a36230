import { mutant } from './mutant.js';

// Takes the options it knows and ignores the rest: a misspelt `expectedStatus` is dropped, not refused.
export default mutant({
  name: 'misspelt-option-ignored',
  rule: 'WF-VAL-9',
  breaks: 'updateWorkflowRun ignores an option it does not define instead of INVALID_INPUT',
  wrap: (store) => ({
    updateWorkflowRun: (id, patch, options) =>
      store.updateWorkflowRun(
        id,
        patch,
        options === undefined
          ? undefined
          : {
              expected_status: options.expected_status,
              expected_metadata: options.expected_metadata,
              event: options.event,
              events: options.events,
            },
      ),
  }),
});

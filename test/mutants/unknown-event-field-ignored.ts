import { mutant } from './mutant.js';

// Takes the fields of an event it knows and ignores the rest: a field createWorkflowEvent does not define
// is dropped, not refused.
export default mutant({
  name: 'unknown-event-field-ignored',
  rule: 'WF-VAL-13',
  breaks: 'createWorkflowEvent ignores a field it does not define instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(
        typeof input === 'object' && input !== null
          ? { run_id: input.run_id, event_type: input.event_type, payload: input.payload }
          : input,
        options,
      ),
  }),
});

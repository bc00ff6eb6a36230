import { copyWith, mutant } from './mutant.js';

// Coerces as JSON.stringify would: a Date inside a payload is stored as its ISO string instead of refused.
export default mutant({
  name: 'date-coerced',
  rule: 'WF-VAL-1',
  breaks: 'a Date inside a payload is stored as its ISO string instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(
        {
          ...input,
          payload: copyWith(input.payload, (d) =>
            d.value instanceof Date ? { ...d, value: d.value.toISOString() } : d,
          ) as typeof input.payload,
        },
        options,
      ),
  }),
});

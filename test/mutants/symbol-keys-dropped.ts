import { copyWith, mutant } from './mutant.js';

// Copies a payload by its string keys only (as JSON.stringify would): symbol keys vanish instead of being refused.
export default mutant({
  name: 'symbol-keys-dropped',
  rule: 'WF-VAL-2',
  breaks: 'a symbol key inside a payload is silently dropped instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(
        {
          ...input,
          payload: copyWith(input.payload, (d, key) =>
            typeof key === 'symbol' ? undefined : d,
          ) as typeof input.payload,
        },
        options,
      ),
  }),
});

import { copyWith, mutant } from './mutant.js';

// Reads a payload as a spread would: a getter inside it is run, and what it returns is stored.
export default mutant({
  name: 'getters-read',
  rule: 'WF-VAL-2',
  breaks: 'a getter inside a payload is run and its value stored instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(
        {
          ...input,
          payload: copyWith(input.payload, (d, _key, holder) =>
            d.get === undefined
              ? d
              : { value: d.get.call(holder), enumerable: true, writable: true, configurable: true },
          ) as typeof input.payload,
        },
        options,
      ),
  }),
});

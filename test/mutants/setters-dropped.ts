import { copyWith, mutant } from './mutant.js';

// Refuses getters but not setters: a property with only a setter reads as undefined and is dropped, as
// JSON.stringify would, instead of being refused.
export default mutant({
  name: 'setters-dropped',
  rule: 'WF-VAL-2',
  breaks: 'a setter-only property inside a payload is dropped instead of INVALID_INPUT',
  wrap: (store) => ({
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(
        {
          ...input,
          payload: copyWith(input.payload, (d) =>
            Object.hasOwn(d, 'set') && d.get === undefined ? undefined : d,
          ) as typeof input.payload,
        },
        options,
      ),
  }),
});

import { mutant } from './mutant.js';

// Reads the operation's input object with a spread: its getters run and a Proxy's traps run, and what they
// give is stored (the values inside it are still checked by the store).
export default mutant({
  name: 'input-object-spread',
  rule: 'WF-VAL-2',
  breaks: "an input object's getters and Proxy traps are run and their values used instead of INVALID_INPUT",
  wrap: (store) => ({
    createWorkflowRun: (input) =>
      store.createWorkflowRun(typeof input === 'object' && input !== null ? { ...input } : input),
    createWorkflowEvent: (input, options) =>
      store.createWorkflowEvent(typeof input === 'object' && input !== null ? { ...input } : input, options),
  }),
});

import { mutant } from './mutant.js';

// Coerces instead of refusing: NUL is silently removed from user_message.
export default mutant({
  name: 'nul-stripped',
  rule: 'WF-VAL-5',
  breaks: 'NUL in user_message is removed instead of refused',
  wrap: (store) => ({
    createWorkflowRun: (input) =>
      store.createWorkflowRun(
        typeof input.user_message === 'string'
          ? { ...input, user_message: input.user_message.replaceAll('\u0000', '') }
          : input,
      ),
  }),
});

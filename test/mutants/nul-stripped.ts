import { mutant } from './mutant.js';

// Coerces instead of refusing: NUL is silently removed from user_message.
export default mutant('nul-stripped', 'plain text with NUL is INVALID_INPUT, never coerced', (store) => ({
  createWorkflowRun: (input) =>
    store.createWorkflowRun(
      typeof input.user_message === 'string'
        ? { ...input, user_message: input.user_message.replaceAll('\u0000', '') }
        : input,
    ),
}));

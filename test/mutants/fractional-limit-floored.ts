import { mutant } from './mutant.js';

// Rounds a fractional limit down instead of refusing it: limit 1.5 lists one event.
export default mutant({
  name: 'fractional-limit-floored',
  rule: 'WF-VAL-14',
  breaks: 'listWorkflowEvents rounds a fractional limit down instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowEvents: (runId, options) =>
      store.listWorkflowEvents(
        runId,
        typeof options?.limit === 'number' && !Number.isInteger(options.limit)
          ? { ...options, limit: Math.floor(options.limit) }
          : options,
      ),
  }),
});

import { mutant } from './mutant.js';

// An event for a run that does not exist is acknowledged (and lost) instead of refused.
export default mutant({
  name: 'unknown-run-event-accepted',
  rule: 'WF-UNK-1',
  breaks: 'an event for an unknown run is acknowledged instead of RUN_NOT_FOUND',
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      const known =
        typeof input?.run_id === 'string' ? await store.getWorkflowRun(input.run_id).catch(() => null) : null;
      if (known !== null || typeof input?.run_id !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(input.run_id)) {
        return store.createWorkflowEvent(input, options);
      }
      return {
        run_id: input.run_id,
        sequence: 1,
        event_type: input.event_type,
        timestamp: new Date().toISOString(),
        payload: structuredClone(input.payload ?? {}),
      };
    },
  }),
});

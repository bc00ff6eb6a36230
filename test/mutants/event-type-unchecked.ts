import { EVENT_TYPE_MAX_LENGTH, EVENT_TYPE_PATTERN } from '../../src/contract/limits.js';
import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

const valid = (type: string) =>
  type.length >= 1 && type.length <= EVENT_TYPE_MAX_LENGTH && EVENT_TYPE_PATTERN.test(type);

// Accepts any string as event_type (only its type is checked): "node started", "a/b", "" are stored.
export default mutant({
  name: 'event-type-unchecked',
  rule: 'WF-VAL-12',
  breaks: 'event_type outside [A-Za-z0-9._:-] (or of the wrong length) is accepted',
  wrap: (store, kept) => {
    const types = kept('stored types', () => new Map<string, string>());
    const shown = (e: WorkflowEvent): WorkflowEvent => ({
      ...e,
      event_type: types.get(`${e.run_id} ${e.sequence}`) ?? e.event_type,
    });
    return {
      async createWorkflowEvent(input, options) {
        if (typeof input?.event_type !== 'string' || valid(input.event_type))
          return store.createWorkflowEvent(input, options);
        const event = await store.createWorkflowEvent({ ...input, event_type: 'unchecked' }, options);
        types.set(`${event.run_id} ${event.sequence}`, input.event_type);
        return shown(event);
      },
      listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).map(shown),
      async deleteWorkflowRun(id) {
        for (const key of types.keys()) if (key.startsWith(`${id} `)) types.delete(key);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

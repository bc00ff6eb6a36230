import { types } from 'node:util';
import { JSON_MAX_DEPTH } from '../../src/contract/limits.js';
import type { JsonObject, WorkflowEvent } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

/** How many containers nest in `value` (a scalar is depth 0), read through descriptors, cycles cut. */
function depth(value: unknown, ancestors: unknown[] = []): number {
  if (typeof value !== 'object' || value === null || types.isProxy(value) || ancestors.includes(value)) return 0;
  ancestors.push(value);
  let deepest = 0;
  for (const d of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (Object.hasOwn(d, 'value')) deepest = Math.max(deepest, depth(d.value, ancestors));
  }
  ancestors.pop();
  return 1 + deepest;
}

// Has no depth bound: a payload nested deeper than 1000 levels is kept (beside the data) instead of refused.
export default mutant({
  name: 'depth-unbounded',
  rule: 'WF-VAL-3',
  breaks: 'a payload nested deeper than JSON_MAX_DEPTH levels is stored instead of INVALID_INPUT',
  wrap: (store, kept) => {
    const deep = kept('deep payloads', () => new Map<string, JsonObject>());
    const shown = (e: WorkflowEvent): WorkflowEvent => ({
      ...e,
      payload: deep.get(`${e.run_id} ${e.sequence}`) ?? e.payload,
    });
    return {
      async createWorkflowEvent(input, options) {
        if (depth(input?.payload) <= JSON_MAX_DEPTH) return store.createWorkflowEvent(input, options);
        const event = await store.createWorkflowEvent({ ...input, payload: {} }, options);
        deep.set(`${event.run_id} ${event.sequence}`, input.payload!);
        return shown(event);
      },
      listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).map(shown),
      async deleteWorkflowRun(id) {
        for (const key of deep.keys()) if (key.startsWith(`${id} `)) deep.delete(key);
        return store.deleteWorkflowRun(id);
      },
    };
  },
});

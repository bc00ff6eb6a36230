import type { JsonObject } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

const sorted = (o: JsonObject): JsonObject =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

export default mutant({
  name: 'payload-keys-reordered',
  rule: 'WF-VAL-4',
  breaks: 'listed payloads come back with their keys sorted',
  wrap: (store) => ({
    listWorkflowEvents: async (runId, options) =>
      (await store.listWorkflowEvents(runId, options)).map((e) => ({ ...e, payload: sorted(e.payload) })),
  }),
});

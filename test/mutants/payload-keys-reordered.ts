import type { JsonObject } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

const sorted = (o: JsonObject): JsonObject =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

export default mutant(
  'payload-keys-reordered',
  'JSON comes back with its keys in the order JavaScript gives them',
  (store) => ({
    listWorkflowEvents: async (runId, options) =>
      (await store.listWorkflowEvents(runId, options)).map((e) => ({ ...e, payload: sorted(e.payload) })),
  }),
);

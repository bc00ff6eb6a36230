import { mutant } from './mutant.js';

// Returns the outputs map ordered by node id (as a store keyed by node id would), not by latest
// completion. The order is only recommended (WF-OUT-4): the suite reports this amber, and it fails the
// run with --strict.
export default mutant(
  'outputs-in-node-order',
  'as recommended, outputs are in the order of their latest completion',
  (store) => ({
    async getCompletedDagNodeOutputs(runId) {
      const outputs = await store.getCompletedDagNodeOutputs(runId);
      return new Map([...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  }),
  'SHOULD',
);

import { mutant } from './mutant.js';

// Returns the outputs map ordered by node id (as a store keyed by node id would). The order is only
// recommended (WF-OUT-4): the suite reports this amber, and it fails the run with --strict.
export default mutant({
  name: 'outputs-in-node-order',
  rule: 'WF-OUT-4',
  breaks: 'the outputs map is ordered by node id, not by latest completion',
  wrap: (store) => ({
    async getCompletedDagNodeOutputs(runId) {
      const outputs = await store.getCompletedDagNodeOutputs(runId);
      return new Map([...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  }),
});

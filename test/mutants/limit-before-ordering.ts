import { mutant } from './mutant.js';

// As a store that iterates its runs by key would: takes the first `limit` runs in id order, then sorts
// those by created_at — the limit is applied before ordering.
export default mutant({
  name: 'limit-before-ordering',
  rule: 'WF-RUN-4',
  breaks: "listWorkflowRuns' limit is applied before ordering by created_at",
  wrap: (store) => ({
    async listWorkflowRuns(options) {
      const { limit, ...rest } = options ?? {};
      if (limit === undefined) return store.listWorkflowRuns(options);
      await store.listWorkflowRuns(options); // the same errors as the store's
      const byId = (await store.listWorkflowRuns(rest)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return byId
        .slice(0, limit)
        .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
    },
  }),
});

import { listing, listingBy, mutant } from './mutant.js';

// Takes after as a run to find, and pages from where that run is stored: a position where no run is — or
// where the run was deleted — is ignored, and the listing starts from the first run.
export default mutant({
  name: 'page-after-needs-run',
  rule: 'WF-RUN-7',
  breaks: 'after is looked up as a run: a position where no run is starts the listing over',
  wrap: (store) =>
    listingBy(store, async (runs, l) => {
      const found = l.after === undefined ? null : await store.getWorkflowRun(l.after.id);
      const at = found === null ? { ...l, after: undefined } : { ...l, after: found };
      return listing.limited(listing.positioned(listing.ordered(listing.bounded(runs, at), at), at), at);
    }),
});

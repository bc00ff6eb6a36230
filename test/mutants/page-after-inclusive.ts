import { compareRuns, listing, listingBy, mutant } from './mutant.js';

// Pages with "(created_at, id) >= after" where the contract says strictly after: each page repeats the last
// run of the one before.
export default mutant({
  name: 'page-after-inclusive',
  rule: 'WF-RUN-7',
  breaks: 'after keeps the run at that position (>= instead of >)',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      const page = listing.ordered(listing.bounded(runs, l), l);
      const after = l.after;
      return listing.limited(after === undefined ? page : page.filter((r) => compareRuns(r, after, l.order) >= 0), l);
    }),
});

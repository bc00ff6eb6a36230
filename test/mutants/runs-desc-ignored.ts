import { listing, listingBy, mutant } from './mutant.js';

// Knows no order but the oldest first: order "desc" lists the oldest runs first.
export default mutant({
  name: 'runs-desc-ignored',
  rule: 'WF-RUN-7',
  breaks: 'order: "desc" is ignored: runs are listed oldest first',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      const asc = { ...l, order: 'asc' as const };
      return listing.limited(listing.positioned(listing.ordered(listing.bounded(runs, asc), asc), asc), asc);
    }),
});

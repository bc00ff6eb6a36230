import { listing, listingBy, mutant } from './mutant.js';

// Lists oldest first, applies the limit, then reverses the page: "newest first" gives the oldest runs.
export default mutant({
  name: 'desc-applied-after-limit',
  rule: 'WF-RUN-7',
  breaks: 'newest first reverses the oldest `limit` runs instead of listing the newest',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      const asc = { ...l, order: 'asc' as const };
      const page = listing.limited(listing.positioned(listing.ordered(listing.bounded(runs, asc), asc), asc), asc);
      return l.order === 'desc' ? page.reverse() : page;
    }),
});

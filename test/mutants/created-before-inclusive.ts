import { listing, listingBy, mutant } from './mutant.js';

// Bounds with "created_at <= created_before": the runs created at the bound are kept.
export default mutant({
  name: 'created-before-inclusive',
  rule: 'WF-RUN-7',
  breaks: 'created_before keeps the runs created at that time (<=)',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      const kept = runs.filter(
        (r) =>
          (l.created_after === undefined || r.created_at > l.created_after) &&
          (l.created_before === undefined || r.created_at <= l.created_before),
      );
      return listing.limited(listing.positioned(listing.ordered(kept, l), l), l);
    }),
});

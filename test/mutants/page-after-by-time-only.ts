import type { RunPosition } from '../../src/contract/types.js';
import { listing, listingBy, mutant } from './mutant.js';

// Pages with "created_at > after.created_at" alone: runs created at the same instant as the last of a page,
// after it by id, are never listed.
export default mutant({
  name: 'page-after-by-time-only',
  rule: 'WF-RUN-7',
  breaks: 'after compares created_at alone, skipping the runs created at the same instant',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      const page = listing.ordered(listing.bounded(runs, l), l);
      const after = l.after;
      if (after === undefined) return listing.limited(page, l);
      const later = (r: RunPosition) =>
        l.order === 'desc' ? r.created_at < after.created_at : r.created_at > after.created_at;
      return listing.limited(page.filter(later), l);
    }),
});

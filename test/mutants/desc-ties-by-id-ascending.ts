import type { RunPosition } from '../../src/contract/types.js';
import { compareRuns, listing, listingBy, mutant } from './mutant.js';

// Sorts newest first by created_at alone, over a list already in id order: runs created at the same instant
// stay in ascending id order (ORDER BY created_at DESC, id).
export default mutant({
  name: 'desc-ties-by-id-ascending',
  rule: 'WF-RUN-7',
  breaks: 'newest first orders runs of the same created_at by id ascending',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      if (l.order === 'asc')
        return listing.limited(listing.positioned(listing.ordered(listing.bounded(runs, l), l), l), l);
      const key = (r: RunPosition) => [r.created_at, r.id] as const;
      const compare = (a: RunPosition, b: RunPosition) =>
        compareRuns(a, b, 'asc') && (key(a)[0] === key(b)[0] ? compareRuns(a, b, 'asc') : -compareRuns(a, b, 'asc'));
      const sorted = listing.bounded(runs, l).sort(compare);
      const after = l.after;
      return listing.limited(after === undefined ? sorted : sorted.filter((r) => compare(r, after) > 0), l);
    }),
});

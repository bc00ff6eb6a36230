import { listing, listingBy, mutant } from './mutant.js';

// Takes the first `limit` runs, then drops those not after the position: the limit comes before `after`.
export default mutant({
  name: 'limit-before-position',
  rule: 'WF-RUN-7',
  breaks: 'the limit is applied before the position: pages after the first are short or empty',
  wrap: (store) =>
    listingBy(store, (runs, l) => {
      return listing.positioned(listing.limited(listing.ordered(listing.bounded(runs, l), l), l), l);
    }),
});

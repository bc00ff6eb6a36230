import type { WorkflowRun } from '../../src/contract/types.js';
import { listing, listingBy, mutant } from './mutant.js';

// Pages by offset behind a keyset face: it remembers how far each page it served reached, and serves the page
// after that run's position from that offset in the list as it is now. A run deleted or created between
// pages shifts the list: runs are skipped or seen twice.
export default mutant({
  name: 'page-cursor-as-offset',
  rule: 'WF-RUN-7',
  breaks: 'a page after a position starts at the offset the page before ended at, not at the position',
  wrap: (store, kept) => {
    const offsets = kept('offsets', () => new Map<string, number>());
    const cursor = (order: string, filters: unknown, run: { created_at: string; id: string }) =>
      `${order} ${JSON.stringify(filters)} ${run.created_at} ${run.id}`;
    return listingBy(store, (runs, l, options) => {
      const filters = [options.status, options.workflow_name, l.created_after, l.created_before];
      const all = listing.ordered(listing.bounded(runs, l), l);
      const offset = l.after === undefined ? 0 : offsets.get(cursor(l.order, filters, l.after));
      const page: WorkflowRun[] =
        offset === undefined
          ? listing.limited(listing.positioned(all, l), l)
          : all.slice(offset, l.limit === undefined ? undefined : offset + l.limit);
      const last = page.at(-1);
      if (last !== undefined)
        offsets.set(cursor(l.order, filters, last), (offset ?? all.indexOf(page[0]!)) + page.length);
      return page;
    });
  },
});

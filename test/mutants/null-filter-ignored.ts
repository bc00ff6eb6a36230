import { mutant } from './mutant.js';

// Takes a null filter for "no filter" (as `??` or SQL's IS NULL would): `{ status: null }` lists every run.
export default mutant({
  name: 'null-filter-ignored',
  rule: 'WF-VAL-13',
  breaks: 'listWorkflowRuns takes a null filter for an absent one instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (options) =>
      store.listWorkflowRuns(
        options === undefined || options === null
          ? options
          : Object.fromEntries(Object.entries(options).filter(([, value]) => value !== null)),
      ),
  }),
});

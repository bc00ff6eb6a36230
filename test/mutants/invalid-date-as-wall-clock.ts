import { mutant } from './mutant.js';

// Falls back to the wall clock when the clock gives no valid Date: the call writes the time of day instead
// of failing with BACKEND_FAILURE.
export default mutant({
  name: 'invalid-date-as-wall-clock',
  rule: 'WF-DET-2',
  breaks:
    'a clock giving an invalid Date is replaced by the wall clock and the call writes, instead of BACKEND_FAILURE',
  needs: ['clock'],
  opens: ({ now, ...offered }) => ({
    ...offered,
    now:
      now &&
      (() => {
        const date = now();
        return Number.isNaN(date.getTime()) ? new Date() : date;
      }),
  }),
  wrap: () => ({}),
});

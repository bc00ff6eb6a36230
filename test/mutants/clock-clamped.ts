import { mutant } from './mutant.js';

const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

// Clamps the clock into the years a timestamp can hold: a clock past year 9999 (or before year 1) writes
// the last (or first) millisecond of the range instead of failing with BACKEND_FAILURE.
export default mutant({
  name: 'clock-clamped',
  rule: 'WF-DET-2',
  breaks: 'a clock outside years 1 to 9999 is clamped into them and the call writes, instead of BACKEND_FAILURE',
  needs: ['clock'],
  opens: ({ now, ...offered }) => ({
    ...offered,
    now:
      now &&
      (() => {
        const date = now();
        return Number.isNaN(date.getTime()) ? date : new Date(Math.min(Math.max(date.getTime(), FIRST), LAST));
      }),
  }),
  wrap: () => ({}),
});

import { WorkflowStoreError } from '../../src/contract/errors.js';
import { clockFault, mutant } from './mutant.js';

const LAST = Date.parse('9999-12-31T23:59:59.999Z');

// Checks the clock only once the write is done: with a clock past year 9999 the call fails with
// BACKEND_FAILURE, but what it wrote (stamped at the last millisecond of year 9999) stays.
export default mutant({
  name: 'clock-checked-after-write',
  rule: 'WF-DET-2',
  breaks: 'a clock outside years 1 to 9999 fails the call with BACKEND_FAILURE after its write is done',
  needs: ['clock'],
  opens: ({ now, ...offered }) => ({
    ...offered,
    now:
      now &&
      (() => {
        const date = now();
        return Number.isNaN(date.getTime()) ? date : new Date(Math.min(date.getTime(), LAST));
      }),
  }),
  wrap: (store, _kept, offered) => {
    const thenClock = async <T>(call: () => Promise<T>): Promise<T> => {
      const result = await call();
      if (clockFault(offered)) throw new WorkflowStoreError('BACKEND_FAILURE', 'the clock reads past year 9999');
      return result;
    };
    return {
      createWorkflowRun: (input) => thenClock(() => store.createWorkflowRun(input)),
      updateWorkflowRun: (id, patch, options) => thenClock(() => store.updateWorkflowRun(id, patch, options)),
      createWorkflowEvent: (input, options) => thenClock(() => store.createWorkflowEvent(input, options)),
    };
  },
});

import { RUN_STATUSES } from '../../src/contract/types.js';
import { statusConflict } from '../../src/contract/decide.js';
import { mutant } from './mutant.js';

// Compares expected_status with the stored status without checking it is a status: "done" is a conflict
// (STATUS_CONFLICT), not invalid input.
export default mutant({
  name: 'expected-status-unchecked',
  rule: 'WF-VAL-9',
  breaks: 'an expected_status that is no status gives STATUS_CONFLICT instead of INVALID_INPUT',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const expected: unknown = options?.expected_status;
      const run = typeof expected === 'string' ? await store.getWorkflowRun(id).catch(() => null) : null;
      if (run === null || (RUN_STATUSES as readonly unknown[]).includes(expected)) {
        return store.updateWorkflowRun(id, patch, options);
      }
      throw statusConflict(run.id, expected as never, run.status);
    },
  }),
});

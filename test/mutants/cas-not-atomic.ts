import { mutant, tick } from './mutant.js';

// Checks expected_status with a read, yields (as an await on I/O would), then updates without the check:
// several concurrent resumes can all win.
export default mutant({
  name: 'cas-not-atomic',
  rule: 'WF-CAS-1',
  breaks: 'compare-and-set is not atomic: of concurrent updates expecting one status, several win',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const current = typeof id === 'string' ? await store.getWorkflowRun(id).catch(() => null) : null;
      if (options?.expected_status === undefined || current?.status !== options.expected_status) {
        return store.updateWorkflowRun(id, patch, options);
      }
      await tick();
      return store.updateWorkflowRun(id, patch, { ...options, expected_status: undefined });
    },
  }),
});

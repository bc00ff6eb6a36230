import { mutant, tick } from './mutant.js';

// Checks expected_status with a read, yields (as an await on I/O would), then updates without the check:
// several concurrent resumes can all win.
export default mutant(
  'cas-not-atomic',
  'compare-and-set is atomic: of concurrent updaters exactly one wins',
  (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const current = typeof id === 'string' ? await store.getWorkflowRun(id).catch(() => null) : null;
      if (options?.expected_status === undefined || current?.status !== options.expected_status) {
        return store.updateWorkflowRun(id, patch, options);
      }
      await tick();
      return store.updateWorkflowRun(id, patch, { ...options, expected_status: undefined });
    },
  }),
);

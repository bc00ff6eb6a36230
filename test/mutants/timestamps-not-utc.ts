import type { WorkflowRun } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// The same instant, written with a +01:00 offset instead of as UTC ("…Z").
const local = (iso: string) => {
  const shifted = new Date(Date.parse(iso) + 3600_000).toISOString();
  return shifted.replace('Z', '+01:00');
};
const inLocalTime = (run: WorkflowRun): WorkflowRun => ({
  ...run,
  created_at: local(run.created_at),
  updated_at: local(run.updated_at),
});

export default mutant({
  name: 'timestamps-not-utc',
  rule: 'WF-VAL-7',
  breaks: 'timestamps are written with a +01:00 offset, not as UTC',
  wrap: (store) => ({
    createWorkflowRun: async (input) => inLocalTime(await store.createWorkflowRun(input)),
    getWorkflowRun: async (id) => {
      const run = await store.getWorkflowRun(id);
      return run && inLocalTime(run);
    },
  }),
});

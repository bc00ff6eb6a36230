import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant, tick } from './mutant.js';

// Compare-and-set on a row version that appends bump too: a resume during which an event was appended fails
// with STATUS_CONFLICT although the status was the expected one. Only concurrent calls meet it.
export default mutant({
  name: 'cas-conflicts-with-appends',
  rule: 'WF-ALL-2',
  breaks:
    'a compare-and-set update fails with STATUS_CONFLICT when an event is appended meanwhile (a clause of WF-CAS-1)',
  wrap: (store) => {
    const versions = new Map<string, number>();
    return {
      async createWorkflowEvent(input, options) {
        const event: WorkflowEvent = await store.createWorkflowEvent(input, options);
        versions.set(event.run_id, (versions.get(event.run_id) ?? 0) + 1);
        return event;
      },
      async updateWorkflowRun(id, patch, options) {
        const expected = options?.expected_status;
        const version = versions.get(id) ?? 0;
        await tick();
        if (expected !== undefined && (versions.get(id) ?? 0) !== version) {
          throw new WorkflowStoreError('STATUS_CONFLICT', `workflow run "${id}" changed meanwhile`, { runId: id });
        }
        return store.updateWorkflowRun(id, patch, options);
      },
    };
  },
});

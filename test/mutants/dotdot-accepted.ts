import { ID_PATTERN } from '../../src/contract/limits.js';
import type { WorkflowRun } from '../../src/contract/types.js';
import { wrapMutant } from './mutant.js';

// Accepts path-like run ids instead of refusing them (as a naive filesystem store would).
export default wrapMutant(
  'dotdot-accepted',
  'run ids are identifiers: "..", "/" and the like are INVALID_INPUT',
  (store) => {
    const odd = new Map<string, WorkflowRun>();
    return {
      createWorkflowRun: async (input) => {
        if (input.id === undefined || ID_PATTERN.test(input.id)) return store.createWorkflowRun(input);
        const run = {
          id: input.id,
          workflow_name: input.workflow_name,
          status: input.status ?? 'pending',
          user_message: input.user_message,
          metadata: input.metadata ?? {},
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        } as WorkflowRun;
        odd.set(input.id, run);
        return run;
      },
    };
  },
);

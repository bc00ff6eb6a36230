import { ID_PATTERN } from '../../src/contract/limits.js';
import type { WorkflowRun } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

// Accepts path-like run ids instead of refusing them (as a naive filesystem store would).
export default mutant({
  name: 'dotdot-accepted',
  rule: 'WF-VAL-6',
  breaks: 'path-like run ids ("..", "a/b") are accepted instead of refused',
  wrap: (store) => ({
    createWorkflowRun: async (input) => {
      if (input.id === undefined || ID_PATTERN.test(input.id)) return store.createWorkflowRun(input);
      const now = new Date().toISOString();
      return {
        id: input.id,
        workflow_name: input.workflow_name,
        status: input.status ?? 'pending',
        user_message: input.user_message,
        metadata: input.metadata ?? {},
        created_at: now,
        updated_at: now,
      } as WorkflowRun;
    },
  }),
});

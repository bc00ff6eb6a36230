import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import {
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseListRuns,
  parseUpdateRun,
  validateId,
} from '../../src/contract/validation.js';
import { mutant } from './mutant.js';

/** `call`, but when the store answers STORE_CLOSED, the input is checked first (`check` throws if bad). */
const inputFirst = async <T>(call: () => Promise<T>, check: () => unknown): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isWorkflowStoreError(error, 'STORE_CLOSED')) check();
    throw error;
  }
};

// Checks the input before whether the store is closed: after close(), input it would refuse is INVALID_INPUT
// instead of STORE_CLOSED (WF-ERR-5 names the exception, WF-CLS-1 states it).
export default mutant({
  name: 'closed-store-checks-input',
  rule: 'WF-CLS-1',
  breaks: 'after close(), input the store would refuse is INVALID_INPUT instead of STORE_CLOSED',
  wrap: (store): Partial<IWorkflowStore> => ({
    createWorkflowRun: (input) =>
      inputFirst(
        () => store.createWorkflowRun(input),
        () => parseCreateRun(input),
      ),
    getWorkflowRun: (id) =>
      inputFirst(
        () => store.getWorkflowRun(id),
        () => validateId(id, 'id'),
      ),
    listWorkflowRuns: (options) =>
      inputFirst(
        () => store.listWorkflowRuns(options),
        () => parseListRuns(options),
      ),
    updateWorkflowRun: (id, patch, options) =>
      inputFirst(
        () => store.updateWorkflowRun(id, patch, options),
        () => parseUpdateRun(id, patch, options),
      ),
    deleteWorkflowRun: (id) =>
      inputFirst(
        () => store.deleteWorkflowRun(id),
        () => validateId(id, 'id'),
      ),
    createWorkflowEvent: (input, options) =>
      inputFirst(
        () => store.createWorkflowEvent(input, options),
        () => parseCreateEvent(input),
      ),
    listWorkflowEvents: (runId, options) =>
      inputFirst(
        () => store.listWorkflowEvents(runId, options),
        () => parseListEvents(runId, options),
      ),
    getCompletedDagNodeOutputs: (runId) =>
      inputFirst(
        () => store.getCompletedDagNodeOutputs(runId),
        () => validateId(runId, 'run_id'),
      ),
  }),
});

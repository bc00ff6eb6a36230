import { runNotFound } from '../../src/contract/errors.js';
import { checkedFirst, mutant, ownField, runExists } from './mutant.js';

// Looks the run up before checking the rest of the input: on a run that does not exist, input the store
// would refuse is RUN_NOT_FOUND instead of INVALID_INPUT.
export default mutant({
  name: 'unknown-run-before-input',
  rule: 'WF-ERR-5',
  breaks: 'createWorkflowEvent and listWorkflowEvents on an unknown run answer RUN_NOT_FOUND before checking the input',
  wrap: (store) => {
    const unknown = async (runId: unknown) =>
      (await runExists(store, runId)) === false ? runNotFound(String(runId)) : undefined;
    return {
      createWorkflowEvent: (input, options) =>
        checkedFirst(
          () => store.createWorkflowEvent(input, options),
          'INVALID_INPUT',
          () => unknown(ownField(input, 'run_id')),
        ),
      listWorkflowEvents: (runId, options) =>
        checkedFirst(
          () => store.listWorkflowEvents(runId, options),
          'INVALID_INPUT',
          () => unknown(runId),
        ),
    };
  },
});

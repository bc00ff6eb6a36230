import { runAlreadyExists } from '../../src/contract/errors.js';
import { checkedFirst, mutant, ownField, runExists } from './mutant.js';

// Looks the id up before checking the rest of the input: with an id that is taken, input the store would
// refuse is RUN_ALREADY_EXISTS instead of INVALID_INPUT.
export default mutant({
  name: 'taken-id-before-input',
  rule: 'WF-ERR-5',
  breaks: 'createWorkflowRun with a taken id answers RUN_ALREADY_EXISTS before checking the rest of the input',
  wrap: (store) => ({
    createWorkflowRun: (input) =>
      checkedFirst(
        () => store.createWorkflowRun(input),
        'INVALID_INPUT',
        async () => {
          const id = ownField(input, 'id');
          return (await runExists(store, id)) === true ? runAlreadyExists(String(id)) : undefined;
        },
      ),
  }),
});

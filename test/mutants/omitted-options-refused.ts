import { invalidInput } from '../../src/contract/errors.js';
import { mutant } from './mutant.js';

// Demands the optional arguments: the filter of listWorkflowRuns and the options of updateWorkflowRun and
// listWorkflowEvents, omitted or undefined, are refused with INVALID_INPUT as if they were required.
export default mutant({
  name: 'omitted-options-refused',
  rule: 'WF-VAL-16',
  breaks: 'the filter and the options, omitted or undefined, are refused with INVALID_INPUT',
  wrap: (store) => {
    const required = <T>(options: unknown, call: () => Promise<T>): Promise<T> =>
      options === undefined ? Promise.reject(invalidInput('options', 'must be an object, got undefined')) : call();
    return {
      listWorkflowRuns: (options) => required(options, () => store.listWorkflowRuns(options)),
      updateWorkflowRun: (id, patch, options) => required(options, () => store.updateWorkflowRun(id, patch, options)),
      listWorkflowEvents: (runId, options) => required(options, () => store.listWorkflowEvents(runId, options)),
    };
  },
});

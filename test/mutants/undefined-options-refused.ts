import { invalidInput } from '../../src/contract/errors.js';
import type {
  ListWorkflowEventsOptions,
  ListWorkflowRunsOptions,
  UpdateWorkflowRunOptions,
  UpdateWorkflowRunPatch,
} from '../../src/contract/types.js';
import { mutant } from './mutant.js';

const refused = () => Promise.reject(invalidInput('options', 'must be an object, got undefined'));

// Tells an omitted argument from one given as undefined (by the number of arguments): the filter or the
// options may be left out, but given as undefined they are refused with INVALID_INPUT.
export default mutant({
  name: 'undefined-options-refused',
  rule: 'WF-VAL-16',
  breaks: 'the filter and the options given as undefined (not omitted) are refused with INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (...args: [ListWorkflowRunsOptions?]) =>
      args.length > 0 && args[0] === undefined ? refused() : store.listWorkflowRuns(...args),
    listWorkflowEvents: (runId: string, ...args: [ListWorkflowEventsOptions?]) =>
      args.length > 0 && args[0] === undefined ? refused() : store.listWorkflowEvents(runId, ...args),
    updateWorkflowRun: (id: string, patch: UpdateWorkflowRunPatch, ...args: [UpdateWorkflowRunOptions?]) =>
      args.length > 0 && args[0] === undefined ? refused() : store.updateWorkflowRun(id, patch, ...args),
  }),
});

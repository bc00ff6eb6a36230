import type {
  ListWorkflowEventsOptions,
  ListWorkflowRunsOptions,
  UpdateWorkflowRunOptions,
  UpdateWorkflowRunPatch,
} from '../../src/contract/types.js';
import { mutant } from './mutant.js';

/** The optional argument as the store takes it: left out, or null when given as undefined. */
const given = <T>(args: [T?]): [T?] => (args.length > 0 && args[0] === undefined ? [null as T] : args);

// Tells an omitted argument from one given as undefined (by the number of arguments): the filter or the
// options may be left out, but given as undefined they are taken as null, refused with INVALID_INPUT.
export default mutant({
  name: 'undefined-options-refused',
  rule: 'WF-VAL-16',
  breaks: 'the filter and the options given as undefined (not omitted) are refused with INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (...args: [ListWorkflowRunsOptions?]) => store.listWorkflowRuns(...given(args)),
    listWorkflowEvents: (runId: string, ...args: [ListWorkflowEventsOptions?]) =>
      store.listWorkflowEvents(runId, ...given(args)),
    updateWorkflowRun: (id: string, patch: UpdateWorkflowRunPatch, ...args: [UpdateWorkflowRunOptions?]) =>
      store.updateWorkflowRun(id, patch, ...given(args)),
  }),
});

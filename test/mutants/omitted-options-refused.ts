import { mutant } from './mutant.js';

// Demands the optional arguments, taking an omitted or undefined one as null: the filter of listWorkflowRuns
// and the options of updateWorkflowRun and listWorkflowEvents, left out, are refused with INVALID_INPUT.
export default mutant({
  name: 'omitted-options-refused',
  rule: 'WF-VAL-16',
  breaks: 'the filter and the options, omitted or undefined, are refused with INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (options) => store.listWorkflowRuns(options ?? (null as never)),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch, options ?? (null as never)),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, options ?? (null as never)),
  }),
});

import { mutant } from './mutant.js';

// Takes null for an omitted optional argument (as `options ?? {}` would): null as the filter of
// listWorkflowRuns or as the options of updateWorkflowRun and listWorkflowEvents is accepted.
export default mutant({
  name: 'null-options-taken-as-absent',
  rule: 'WF-VAL-16',
  breaks: 'null as the filter or the options is taken as omitted instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns: (options) => store.listWorkflowRuns(options ?? undefined),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch, options ?? undefined),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, options ?? undefined),
  }),
});

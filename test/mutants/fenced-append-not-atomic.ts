import { checkConditions } from '../../src/contract/decide.js';
import { parseCreateEvent } from '../../src/contract/validation.js';
import { mutant, tick } from './mutant.js';

// Reads the run and checks the conditions, then appends in a second step: a change of the run between the
// two (a cancel, a new claim) lets a fenced append land after it.
export default mutant({
  name: 'fenced-append-not-atomic',
  rule: 'WF-SEQ-4',
  breaks: "createWorkflowEvent's conditions are checked on a read before the append, not atomically with it",
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      const request = parseCreateEvent(input, options);
      const run = await store.getWorkflowRun(request.run_id);
      if (run === null) return store.createWorkflowEvent(input, options);
      checkConditions(run, request);
      await tick();
      return store.createWorkflowEvent(input);
    },
  }),
});

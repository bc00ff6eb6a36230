import { invalidInput } from '../../src/contract/errors.js';
import { mutant, ownField, plainList } from './mutant.js';

// Bounds options.events with "< 1000" where the contract says at most 1,000: a list of exactly 1,000 is refused.
export default mutant({
  name: 'events-limit-off-by-one',
  rule: 'WF-UPD-5',
  breaks: 'a list of exactly 1,000 events is refused',
  wrap: (store) => ({
    async updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (plainList(events) && events.length === 1000) {
        throw invalidInput('options.events', 'must hold 1 to 999 events, got 1000');
      }
      return store.updateWorkflowRun(id, patch, options);
    },
  }),
});

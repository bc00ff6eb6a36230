import { mutant, ownField, plainList } from './mutant.js';

// Takes an empty list of events as no events: the update applies instead of INVALID_INPUT.
export default mutant({
  name: 'empty-events-accepted',
  rule: 'WF-UPD-5',
  breaks: 'options.events: [] is taken as no events instead of INVALID_INPUT',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (!plainList(events) || events.length > 0) return store.updateWorkflowRun(id, patch, options);
      const { events: _events, ...rest } = options!;
      return store.updateWorkflowRun(id, patch, rest);
    },
  }),
});

import { mutant, ownField, plainList } from './mutant.js';

// Takes options.event and options.events together, the event first, instead of INVALID_INPUT.
export default mutant({
  name: 'event-and-events-accepted',
  rule: 'WF-UPD-5',
  breaks: 'options.event and options.events given together are both appended',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      const event = ownField(options, 'event');
      const events = ownField(options, 'events');
      if (event === undefined || !plainList(events)) return store.updateWorkflowRun(id, patch, options);
      const { event: _event, ...rest } = options!;
      return store.updateWorkflowRun(id, patch, { ...rest, events: [event, ...events] as never });
    },
  }),
});

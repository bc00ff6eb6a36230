import { mutant, ownField, plainList } from './mutant.js';

// Takes options.events as if it were options.event: the first event is committed, the others are lost.
export default mutant({
  name: 'events-after-first-dropped',
  rule: 'WF-UPD-5',
  breaks: 'only the first event of options.events is appended',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (!plainList(events) || events.length < 2) return store.updateWorkflowRun(id, patch, options);
      return store.updateWorkflowRun(id, patch, { ...options, events: events.slice(0, 1) as never });
    },
  }),
});

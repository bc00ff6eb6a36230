import { mutant, ownField, plainList } from './mutant.js';

// Appends a list of events last to first, as a store that pushes them on a stack before writing would: the
// numbering does not follow the list's order.
export default mutant({
  name: 'events-numbered-in-reverse',
  rule: 'WF-UPD-5',
  breaks: 'the events of options.events are numbered last to first',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events');
      if (!plainList(events)) return store.updateWorkflowRun(id, patch, options);
      return store.updateWorkflowRun(id, patch, { ...options, events: [...events].reverse() as never });
    },
  }),
});

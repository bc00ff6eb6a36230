import { types } from 'node:util';
import { mutant, ownField, plainList } from './mutant.js';

/** Whether `value` looks like a list: an array of any kind or realm, a Proxy of one, or an array-like object. */
const listLike = (value: unknown): value is ArrayLike<unknown> =>
  Array.isArray(value) ||
  types.isProxy(value) ||
  (typeof value === 'object' && value !== null && Object.hasOwn(value, 'length'));

// Takes whatever Array.from can read as the list of events: a Proxy (its traps run), an instance of a
// subclass of Array, an array of another realm, an array-like object.
export default mutant({
  name: 'events-list-shape-unchecked',
  rule: 'WF-UPD-5',
  breaks: 'options.events that is not a plain array (a Proxy, a subclass, another realm, array-like) is read',
  wrap: (store) => ({
    updateWorkflowRun(id, patch, options) {
      const events = ownField(options, 'events') ?? (types.isProxy(options) ? undefined : options?.events);
      if (plainList(events) || !listLike(events)) return store.updateWorkflowRun(id, patch, options);
      return store.updateWorkflowRun(id, patch, { ...options, events: Array.from(events) as never });
    },
  }),
});

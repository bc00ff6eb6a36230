import { types } from 'node:util';
import { mutant } from './mutant.js';

// Takes any order but "desc" as the default: an order that is neither name lists oldest first.
export default mutant({
  name: 'order-unchecked',
  rule: 'WF-RUN-7',
  breaks: 'an order other than "asc" or "desc" is taken as "asc" instead of INVALID_INPUT',
  wrap: (store) => ({
    listWorkflowRuns(options) {
      if (
        typeof options !== 'object' ||
        options === null ||
        types.isProxy(options) ||
        !Object.hasOwn(options, 'order')
      ) {
        return store.listWorkflowRuns(options);
      }
      const { order, ...rest } = options;
      return store.listWorkflowRuns(order === 'desc' ? options : rest);
    },
  }),
});

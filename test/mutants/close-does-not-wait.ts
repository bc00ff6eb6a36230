import { storeClosed } from '../../src/contract/errors.js';
import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant, tick } from './mutant.js';

// close() resolves at once and closes the store once the calls under way have settled: they complete, but
// after close() resolved.
export default mutant({
  name: 'close-does-not-wait',
  rule: 'WF-CLS-3',
  breaks: 'close() resolves before the calls made before it have settled',
  wrap: (store) => {
    let closing = false;
    const underWay = new Set<Promise<WorkflowEvent>>();
    return {
      createWorkflowEvent(input, options) {
        if (closing) return Promise.reject(storeClosed('createWorkflowEvent'));
        const call = (async () => {
          await tick();
          return store.createWorkflowEvent(input, options);
        })();
        underWay.add(call);
        call.then(
          () => underWay.delete(call),
          () => underWay.delete(call),
        );
        return call;
      },
      async close() {
        closing = true;
        const closed = Promise.allSettled([...underWay]).then(() => store.close());
        if (underWay.size === 0) await closed;
      },
    };
  },
});

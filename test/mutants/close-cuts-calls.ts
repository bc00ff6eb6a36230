import { storeClosed } from '../../src/contract/errors.js';
import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant, tick } from './mutant.js';

// Checks for close() after its I/O wait, not when the call is made: appends under way when close() is
// called fail with STORE_CLOSED (close() still waits for them to settle).
export default mutant({
  name: 'close-cuts-calls',
  rule: 'WF-CLS-2',
  breaks: 'calls made before close() fail with STORE_CLOSED when close() comes while they wait for I/O',
  wrap: (store) => {
    let closing = false;
    const underWay = new Set<Promise<WorkflowEvent>>();
    return {
      createWorkflowEvent(input, options) {
        const call = (async () => {
          await tick();
          if (closing) throw storeClosed('createWorkflowEvent');
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
        await Promise.allSettled([...underWay]);
        await store.close();
      },
    };
  },
});

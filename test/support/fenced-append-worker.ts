// Child process for the fenced-append checks (WF-SEQ-4): appends to a run under conditions until one is refused.
// Prints "ok <sequence>" for each append acknowledged, then "refused <code> <field>" (or "done" after <max>).
// Arguments: <address as JSON> <runId> <worker> <conditions as JSON> <max appends>

import { openAddress } from '../../src/conformance/support/open-location.js';
import type { StoreAddress } from '../../src/conformance/support/processes.js';
import type { CreateWorkflowEventOptions } from '../../src/contract/types.js';

const [address, runId, worker, conditions, max] = process.argv.slice(2);
const store = await openAddress(JSON.parse(address!) as StoreAddress);
const options = JSON.parse(conditions!) as CreateWorkflowEventOptions;
try {
  let i = 0;
  for (; i < Number(max); i++) {
    try {
      const payload = { worker: Number(worker), i };
      const { sequence } = await store.createWorkflowEvent({ run_id: runId!, event_type: 'work', payload }, options);
      process.stdout.write(`ok ${sequence}\n`);
    } catch (error) {
      const { code, field } = error as { code?: string; field?: string };
      process.stdout.write(`refused ${code} ${field}\n`);
      break;
    }
  }
  if (i === Number(max)) process.stdout.write('done\n');
} finally {
  await store.close();
}

// Child process for the multi-process checks: opens a reference store on shared data and appends.
// Arguments: <address as JSON> <runId> <count> <worker number> [payload padding in bytes] [start at, epoch ms]
// Prints {"started": ms, "ended": ms} of its append loop, so a benchmark can leave process start-up out.

import { openAddress } from './open-location.js';
import type { StoreAddress } from './processes.js';

const [location, runId, count, worker, padding, startAt] = process.argv.slice(2);
const pad = 'x'.repeat(Number(padding ?? 0));
const store = await openAddress(JSON.parse(location!) as StoreAddress);
try {
  // Every worker starts appending at the same instant, once all have started up.
  if (startAt !== undefined)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const started = Date.now();
  for (let i = 0; i < Number(count); i++) {
    await store.createWorkflowEvent({
      run_id: runId!,
      event_type: 'tick',
      payload: Number(padding) > 0 ? { worker: Number(worker), i, pad } : { worker: Number(worker), i },
    });
  }
  process.stdout.write(JSON.stringify({ started, ended: Date.now() }) + '\n');
} finally {
  await store.close();
}

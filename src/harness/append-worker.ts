// Child process for the multi-process checks: opens a reference store on shared data and appends.
// Arguments: <location as JSON> <runId> <count> <worker number> [payload padding in bytes]

import { openLocation } from './open-location.js';
import type { StoreLocation } from './reference-backends.js';

const [location, runId, count, worker, padding] = process.argv.slice(2);
const pad = 'x'.repeat(Number(padding ?? 0));
const store = await openLocation(JSON.parse(location!) as StoreLocation);
try {
  for (let i = 0; i < Number(count); i++) {
    await store.createWorkflowEvent({ run_id: runId!, event_type: 'tick', payload: Number(padding) > 0 ? { worker: Number(worker), i, pad } : { worker: Number(worker), i } });
  }
} finally {
  await store.close();
}

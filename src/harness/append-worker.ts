// Child process for the multi-process checks: opens a reference store on shared data and appends.
// Arguments: <location as JSON> <runId> <count> <worker number>

import { openLocation } from './open-location.js';
import type { StoreLocation } from './reference-backends.js';

const [location, runId, count, worker] = process.argv.slice(2);
const store = await openLocation(JSON.parse(location!) as StoreLocation);
try {
  for (let i = 0; i < Number(count); i++) {
    await store.createWorkflowEvent({ run_id: runId!, event_type: 'tick', payload: { worker: Number(worker), i } });
  }
} finally {
  await store.close();
}

// Child process for the multi-process tests: opens a store on shared data and appends events.
// Usage: append-worker.ts <backend> <location> <runId> <count> <worker>
import { openStoreAt } from './open-at.js';

const [backend, location, runId, count, worker] = process.argv.slice(2);
const store = await openStoreAt(backend!, location!);
for (let i = 0; i < Number(count); i++) {
  await store.createWorkflowEvent({ run_id: runId!, event_type: 'tick', payload: { worker: Number(worker), i } });
}
await store.close();

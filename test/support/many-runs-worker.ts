// Child process for the kill -9 tests under group commit: opens a reference store on shared data and has
// `runs` runs (r0, r1, …, created by the parent) append `events` events each, concurrently, one after the
// other within a run. Each acknowledged append is printed at once as "<run> <sequence> <i>" (stdout is a pipe,
// written synchronously on Linux), so the parent knows what was acknowledged before it killed this process.
// Arguments: <address as JSON> <runs> <events per run>

import type { JsonObject } from '../../src/contract/types.js';
import { openAddress } from '../../src/conformance/support/open-location.js';
import type { StoreAddress } from '../../src/conformance/support/processes.js';

const [address, runs, events] = process.argv.slice(2);
const store = await openAddress(JSON.parse(address!) as StoreAddress);

/** Event i of a run: every other one completes node n{i % 5}, so outputs keep changing. */
function eventOf(i: number): { event_type: string; payload: JsonObject } {
  return i % 2 === 0
    ? { event_type: 'node_completed', payload: { node_id: `n${i % 5}`, output: { i }, i } }
    : { event_type: 'tick', payload: { i } };
}

await Promise.all(
  Array.from({ length: Number(runs) }, async (_, r) => {
    for (let i = 0; i < Number(events); i++) {
      const { sequence } = await store.createWorkflowEvent({ run_id: `r${r}`, ...eventOf(i) });
      process.stdout.write(`r${r} ${sequence} ${i}\n`);
    }
  }),
);
await store.close();

// Child process for the kill -9 test of updates with several events (WF-UPD-5): opens a reference store on
// shared data and makes updates 1, 2, 3, … of run "r", update k moving it running ↔ paused (expected_status
// the other), setting metadata.step = k and committing `events` events with it (eventOf below). Prints
// "start k" before each call and "done k" once it returned (stdout is a pipe, written synchronously on Linux),
// so the parent knows what was acknowledged when it killed this process. Stops after 200 updates.
// Arguments: <address as JSON> <events per update> <padding bytes per event>

import { openAddress } from '../../src/conformance/support/open-location.js';
import type { StoreAddress } from '../../src/conformance/support/processes.js';
import type { JsonObject, RunStatus } from '../../src/contract/types.js';

/** Event i of update k: every tenth completes node n{i % 7} (output {k, i}), the others are ticks. */
export function eventOf(k: number, i: number, pad: string): { event_type: string; payload: JsonObject } {
  return i % 10 === 0
    ? { event_type: 'node_completed', payload: { node_id: `n${i % 7}`, output: { k, i }, step: k, i } }
    : { event_type: 'tick', payload: { step: k, i, pad } };
}

/** The status update k leaves (update 0: the run as created). */
export const statusAfter = (k: number): RunStatus => (k % 2 === 1 ? 'paused' : 'running');

if (process.argv[1]?.endsWith('update-events-worker.ts')) {
  const [address, events, padding] = process.argv.slice(2);
  const pad = 'x'.repeat(Number(padding));
  const store = await openAddress(JSON.parse(address!) as StoreAddress);
  for (let k = 1; k <= 200; k++) {
    const list = Array.from({ length: Number(events) }, (_, i) => eventOf(k, i, pad));
    process.stdout.write(`start ${k}\n`);
    await store.updateWorkflowRun(
      'r',
      { status: statusAfter(k), metadata: { step: k } },
      { expected_status: statusAfter(k - 1), events: list },
    );
    process.stdout.write(`done ${k}\n`);
  }
  await store.close();
}

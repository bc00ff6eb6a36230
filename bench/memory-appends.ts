// The cost of an append without I/O: validation, the store's own checks and copies, on the memory store.
// `npx tsx bench/memory-appends.ts [appends]` (default 20,000) prints microseconds per append, median of 5 rounds.

import { performance } from 'node:perf_hooks';
import { createMemoryStore } from '../src/backends/memory/index.js';

const appends = Number(process.argv[2] ?? 20_000);
const rounds: number[] = [];
for (let round = 0; round < 6; round++) {
  const store = await createMemoryStore({});
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
  const started = performance.now();
  for (let i = 0; i < appends; i++) {
    const output = { i, text: 'the quick brown fox jumps over the lazy dog' };
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: `n${i % 50}`, output },
    });
  }
  if (round > 0) rounds.push(((performance.now() - started) / appends) * 1000); // round 0 warms up
  await store.close();
}
rounds.sort((a, b) => a - b);
console.log(`memory store: ${rounds[2]!.toFixed(2)} µs per append (median of ${rounds.length} rounds of ${appends})`);

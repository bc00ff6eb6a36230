import { mutant, tick } from './mutant.js';

// Numbers an event from a count read before the write, yielding in between (as an await on I/O would):
// concurrent appends are told the same sequence.
export default mutant('sequence-without-lock', 'concurrent appends get distinct, gapless sequences', (store) => ({
  async createWorkflowEvent(input) {
    const before = await store.listWorkflowEvents(input.run_id).catch(() => []);
    await tick();
    const event = await store.createWorkflowEvent(input);
    return { ...event, sequence: before.length + 1 };
  },
}));

import { mutant, tick } from './mutant.js';

// Numbers an event from a count read before the write, yielding in between (as an await on I/O would):
// concurrent appends are told the same sequence.
export default mutant({
  name: 'sequence-without-lock',
  rule: 'WF-SEQ-1',
  breaks: 'concurrent appends are told the same sequence (read, yield, write)',
  wrap: (store) => ({
    async createWorkflowEvent(input, options) {
      const before = await store.listWorkflowEvents(input.run_id).catch(() => []);
      await tick();
      const event = await store.createWorkflowEvent(input, options);
      return { ...event, sequence: before.length + 1 };
    },
  }),
});

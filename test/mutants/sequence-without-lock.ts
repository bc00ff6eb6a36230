import { driverMutant, MemoryDriver, tick } from './mutant.js';

// Reads the next sequence, then yields (as an await on I/O would) before writing: no lock.
export default driverMutant(
  'sequence-without-lock',
  'concurrent appends get distinct, gapless sequences',
  (db) =>
    new (class extends MemoryDriver {
      override async appendEvent(...args: Parameters<MemoryDriver['appendEvent']>) {
        const [request, timestamp] = args;
        const entry = this.entry(request.run_id);
        const sequence = entry.events.length + 1;
        await tick();
        const event = {
          run_id: request.run_id,
          sequence,
          event_type: request.event_type,
          timestamp,
          payload: JSON.parse(request.payloadJson),
        };
        entry.events[sequence - 1] = JSON.stringify(event);
        if (request.node) entry.outputs.set(request.node.node_id, { sequence, output: request.node.outputJson });
        return event;
      }
    })(db),
);

import { driverMutant, MemoryDriver } from './mutant.js';

export default driverMutant(
  'unknown-run-event-accepted',
  'an event for an unknown run is RUN_NOT_FOUND',
  (db) =>
    new (class extends MemoryDriver {
      override async appendEvent(...args: Parameters<MemoryDriver['appendEvent']>) {
        const [request, timestamp] = args;
        if (!this.db.runs.has(request.run_id)) {
          return {
            run_id: request.run_id,
            sequence: 1,
            event_type: request.event_type,
            timestamp,
            payload: JSON.parse(request.payloadJson),
          };
        }
        return super.appendEvent(...args);
      }
    })(db),
);

import { driverMutant, MemoryDriver } from './mutant.js';

export default driverMutant(
  'duplicate-id-overwrites',
  'a duplicate id is RUN_ALREADY_EXISTS and the existing run is untouched',
  (db) =>
    new (class extends MemoryDriver {
      override async insertRun(...args: Parameters<MemoryDriver['insertRun']>) {
        this.db.runs.delete(args[0].id);
        return super.insertRun(...args);
      }
    })(db),
);

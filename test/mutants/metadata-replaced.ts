import { driverMutant, MemoryDriver } from './mutant.js';

export default driverMutant(
  'metadata-replaced',
  'metadata is merged shallowly',
  (db) =>
    new (class extends MemoryDriver {
      override async updateRun(...args: Parameters<MemoryDriver['updateRun']>) {
        const run = await super.updateRun(...args);
        if (args[0].metadata !== undefined) {
          run.metadata = args[0].metadata;
          this.entry(run.id).run = JSON.stringify(run);
        }
        return run;
      }
    })(db),
);

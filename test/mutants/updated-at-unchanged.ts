import type { WorkflowRun } from '../../src/contract/types.js';
import { driverMutant, MemoryDriver } from './mutant.js';

export default driverMutant(
  'updated-at-unchanged',
  "an update sets updated_at to the store's now",
  (db) =>
    new (class extends MemoryDriver {
      override async updateRun(...args: Parameters<MemoryDriver['updateRun']>) {
        const before = (JSON.parse(this.entry(args[0].id).run) as WorkflowRun).updated_at;
        const run = { ...(await super.updateRun(...args)), updated_at: before };
        this.entry(run.id).run = JSON.stringify(run);
        return run;
      }
    })(db),
);

import { checkUpdate } from '../../src/contract/rules.js';
import type { WorkflowRun } from '../../src/contract/types.js';
import { driverMutant, MemoryDriver, tick } from './mutant.js';

// Checks expected_status, yields (as an await on I/O would), then writes without checking again:
// several concurrent resumes can all win.
export default driverMutant(
  'cas-not-atomic',
  'compare-and-set is atomic: of concurrent updaters exactly one wins',
  (db) =>
    new (class extends MemoryDriver {
      override async updateRun(...[request, now]: Parameters<MemoryDriver['updateRun']>) {
        checkUpdate(JSON.parse(this.entry(request.id).run) as WorkflowRun, request);
        await tick();
        return super.updateRun({ ...request, expected_status: undefined }, now);
      }
    })(db),
);

import { applyUpdate, checkUpdate } from '../../src/contract/rules.js';
import { isFinal } from '../../src/contract/transitions.js';
import type { WorkflowRun } from '../../src/contract/types.js';
import { driverMutant, MemoryDriver } from './mutant.js';

// A completed or cancelled run may move to any status.
export default driverMutant(
  'final-status-can-be-left',
  'completed and cancelled are final',
  (db) =>
    new (class extends MemoryDriver {
      override async updateRun(...[request, now]: Parameters<MemoryDriver['updateRun']>) {
        const entry = this.entry(request.id);
        const current = JSON.parse(entry.run) as WorkflowRun;
        if (request.status === undefined || !isFinal(current.status)) return super.updateRun(request, now);
        checkUpdate(current, { ...request, status: undefined }); // expected_status is still honoured
        const { run } = applyUpdate(
          { ...current, status: request.status },
          { ...request, expected_status: undefined },
          now,
        );
        entry.run = JSON.stringify(run);
        return run;
      }
    })(db),
);

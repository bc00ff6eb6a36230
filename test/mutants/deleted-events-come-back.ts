import type { StoredRun } from '../../src/backends/memory/driver.js';
import { driverMutant, MemoryDriver } from './mutant.js';

// Deletes the run but not its events: a run created again with the same id shows the old ones.
export default driverMutant('deleted-events-come-back', 'a run\'s events go with it when it is deleted', (db) =>
  new (class extends MemoryDriver {
    private readonly graveyard = new Map<string, StoredRun['events']>();
    override async deleteRun(id: string) {
      const events = this.db.runs.get(id)?.events;
      if (events) this.graveyard.set(id, events);
      return super.deleteRun(id);
    }
    override async insertRun(...args: Parameters<MemoryDriver['insertRun']>) {
      const run = await super.insertRun(...args);
      const old = this.graveyard.get(run.id);
      if (old) this.entry(run.id).events = old;
      return run;
    }
  })(db),
);

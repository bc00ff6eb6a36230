import type { MemoryDatabase, StoredRun } from '../../src/backends/memory/driver.js';
import { driverMutant, MemoryDriver } from './mutant.js';

// Deletes the run but not its events: a run created again with the same id shows the old ones.
const graveyards = new WeakMap<MemoryDatabase, Map<string, StoredRun['events']>>();
const graveyardOf = (db: MemoryDatabase) => {
  if (!graveyards.has(db)) graveyards.set(db, new Map());
  return graveyards.get(db)!;
};

export default driverMutant('deleted-events-come-back', 'a run\'s events go with it when it is deleted', (db) =>
  new (class extends MemoryDriver {
    // Kept with the data, as a real leftover would be, so it survives a reopen.
    private readonly graveyard = graveyardOf(this.db);
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

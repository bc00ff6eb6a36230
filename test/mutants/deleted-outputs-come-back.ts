import type { MemoryDatabase, StoredRun } from '../../src/backends/memory/driver.js';
import { driverMutant, MemoryDriver } from './mutant.js';

// Remembers a deleted run's node outputs and hands them to a run created again with the same id.
const graveyards = new WeakMap<MemoryDatabase, Map<string, StoredRun['outputs']>>();
const graveyardOf = (db: MemoryDatabase) => {
  if (!graveyards.has(db)) graveyards.set(db, new Map());
  return graveyards.get(db)!;
};

export default driverMutant('deleted-outputs-come-back', 'a run created again after a delete starts from nothing', (db) =>
  new (class extends MemoryDriver {
    // Kept with the data, as a real leftover would be, so it survives a reopen.
    private readonly graveyard = graveyardOf(this.db);
    override async deleteRun(id: string) {
      const outputs = this.db.runs.get(id)?.outputs;
      if (outputs) this.graveyard.set(id, outputs);
      return super.deleteRun(id);
    }
    override async insertRun(...args: Parameters<MemoryDriver['insertRun']>) {
      const run = await super.insertRun(...args);
      const old = this.graveyard.get(run.id);
      if (old) this.entry(run.id).outputs = old;
      return run;
    }
  })(db),
);

// WF-UPD-4 under concurrent readers: a status is never seen without the event it was entered with.

import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { readFromProcess } from '../src/conformance/support/processes.js';
import { createCycledRun, cycle, readerVerdict, readUntil } from '../src/conformance/support/status-events.js';
import type { StoreWorld } from './support/world.js';

Given(
  'a run {string} that is claimed and released in cycles, each change with its event',
  async function (this: StoreWorld, runId: string) {
    await createCycledRun(this.store, runId);
    this.notes.set('cycled run', runId);
  },
);

Given(
  'a run {string} that is claimed and released in cycles, each change with {int} events',
  async function (this: StoreWorld, runId: string, perChange: number) {
    await createCycledRun(this.store, runId);
    this.notes.set('cycled run', runId);
    this.notes.set('events per change', perChange);
  },
);

/** The cycles of the run, each change with as many events as the scenario said. */
const cycles = (world: StoreWorld, runId: string, count: number) =>
  cycle(world.store, runId, count, (world.notes.get('events per change') as number | undefined) ?? 1);

When(
  'it goes through {int} cycles while a reader in this process reads it',
  async function (this: StoreWorld, count: number) {
    const runId = this.notes.get('cycled run') as string;
    const writing = cycles(this, runId, count);
    const [seen] = await Promise.all([readUntil(this.store, runId, writing), writing]);
    this.notes.set('reader', seen);
  },
);

When(
  'it goes through {int} cycles while a reader on a second store over the same data reads it',
  async function (this: StoreWorld, count: number) {
    const runId = this.notes.get('cycled run') as string;
    // Its own connection or handle: it can read while an update of this.store is still in progress.
    const second = await this.suite.initializer.openAlongside!(this.store);
    try {
      const writing = cycles(this, runId, count);
      const [seen] = await Promise.all([readUntil(second, runId, writing), writing]);
      this.notes.set('reader', seen);
    } finally {
      await second.close();
    }
  },
);

When(
  'it goes through {int} cycles while a reader in another process reads it',
  async function (this: StoreWorld, count: number) {
    const runId = this.notes.get('cycled run') as string;
    const seen = await readFromProcess(this.suite.address(this.store), runId, () => cycles(this, runId, count));
    this.notes.set('reader', seen);
  },
);

Then('the reader never saw a status without its event', readerSawNoStatusAlone);
Then('the reader never saw a status without all of its events', readerSawNoStatusAlone);

function readerSawNoStatusAlone(this: StoreWorld): void {
  const seen = this.notes.get('reader') as { reads: number; violations: string[] };
  this.log(`${seen.reads} reads`);
  assert.ok(seen.reads > 0, 'the reader read the run');
  const verdict = readerVerdict(seen);
  if (verdict !== undefined) assert.fail(verdict);
}

// The World: one fresh, isolated store per scenario, on a clock the scenario moves by hand.

import { After, Before, setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { WorkflowStoreError, type WorkflowStoreErrorCode } from '../../src/contract/errors.js';
import type { IWorkflowStore, WorkflowRun } from '../../src/contract/types.js';
import { ManualClock, sequentialIds } from '../../src/harness/clock.js';
import { suiteFor, type Suite, type SuiteParameters } from './suite.js';

setDefaultTimeout(60_000);

export class StoreWorld extends World<SuiteParameters> {
  suite!: Suite;
  store!: IWorkflowStore;
  readonly clock = new ManualClock();
  /** The outcome of the last "When": a value, or the error it threw. */
  result: unknown;
  error: unknown;
  /** Outcomes of calls made at once. */
  settled: PromiseSettledResult<unknown>[] = [];
  /** Runs as they were before the step that should not change them. */
  readonly snapshots = new Map<string, WorkflowRun | null>();
  readonly notes = new Map<string, unknown>();

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
  }

  /** Makes a call and keeps its outcome for the "Then" steps. */
  async attempt(call: () => Promise<unknown>): Promise<void> {
    try {
      this.result = await call();
      this.error = undefined;
    } catch (error) {
      this.result = undefined;
      this.error = error;
    }
  }

  /** The last call's value; fails the step, with the error, if the call failed. */
  succeeded<T = unknown>(): T {
    if (this.error !== undefined) {
      const e = this.error as Error;
      assert.fail(`the call failed: ${e instanceof WorkflowStoreError ? `${e.code}: ` : ''}${e.message}`);
    }
    return this.result as T;
  }

  failedWith(code: WorkflowStoreErrorCode): WorkflowStoreError {
    if (this.error === undefined)
      assert.fail(`expected ${code}, but the call succeeded and returned ${preview(this.result)}`);
    if (!(this.error instanceof WorkflowStoreError)) {
      assert.fail(
        `expected a WorkflowStoreError ${code}, got ${(this.error as Error)?.name}: ${(this.error as Error)?.message}`,
      );
    }
    assert.equal(this.error.code, code, `expected ${code}, got ${this.error.code}: ${this.error.message}`);
    return this.error;
  }

  /** Remembers a run as it is now, for "is unchanged". */
  async snapshot(runId: string): Promise<void> {
    this.snapshots.set(runId, await this.store.getWorkflowRun(runId));
  }
}

export function preview(value: unknown): string {
  const text = value instanceof Map ? `Map ${JSON.stringify([...value])}` : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

setWorldConstructor(StoreWorld);

Before({ name: 'open a fresh store', timeout: 180_000 }, async function (this: StoreWorld) {
  this.suite = await suiteFor(this.parameters);
  this.store = await this.suite.initializer.createStore({
    now: this.clock.now,
    generateId: sequentialIds('generated'),
  });
});

Before({ name: 'durability needs reopenStore', tags: '@durability' }, function (this: StoreWorld) {
  if (this.suite.initializer.reopenStore === undefined) {
    this.log(`skipped: the initializer "${this.suite.name}" has no reopenStore, so durability cannot be checked`);
    return 'skipped';
  }
  return undefined;
});

Before({ name: 'several processes need a reference backend', tags: '@multi-process' }, function (this: StoreWorld) {
  if (this.suite.reference === undefined) {
    this.log(`skipped: "${this.suite.name}" cannot be opened from another process by the harness`);
    return 'skipped';
  }
  return undefined;
});

After({ name: 'remove the store' }, async function (this: StoreWorld) {
  if (this.store !== undefined) await this.suite.initializer.destroyStore?.(this.store);
});

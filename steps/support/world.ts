// The World: one fresh, isolated store per scenario. A store that takes the harness's clock runs on a
// clock the scenario moves by hand; for any other store, time passes for real and timestamps are checked
// against the wall clock around each call (docs/contract.md, WF-VAL-7 and WF-UPD-2).

import { After, Before, type IWorldOptions, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ERROR_CODES, type WorkflowStoreErrorCode } from '../../src/contract/errors.js';
import type { IWorkflowStore, WorkflowRun } from '../../src/contract/types.js';
import { ManualClock, sequentialIds } from '../../src/conformance/support/clock.js';
import { storeOptions } from '../../src/conformance/initializer.js';
import { RECOMMENDATION_MEDIA_TYPE, type Recommendation } from '../../src/conformance/recommendation.js';
import { preview, storeSided } from '../../src/conformance/support/store-sided.js';
import { currentSuite, type Suite, type SuiteParameters } from './suite.js';

export { preview };

// An outer bound only: each call into the store is bounded by the call guard (--call-timeout).
setDefaultTimeout(120_000);

/** The wall-clock interval in which a call ran, in epoch ms. */
export interface CallWindow {
  start: number;
  end: number;
}

/** What the contract calls an error (WF-ERR-1), seen on any object. */
export interface ContractError extends Error {
  code: WorkflowStoreErrorCode;
  runId?: unknown;
  field?: unknown;
  from?: unknown;
  to?: unknown;
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export class StoreWorld extends World<SuiteParameters> {
  suite!: Suite;
  store!: IWorkflowStore;
  readonly clock = new ManualClock();
  /** Ids the store's generateId gives before its own sequence (supports.ids). */
  readonly nextIds: string[] = [];
  /** The outcome of the last "When": a value, or the error it threw, and when it ran. */
  result: unknown;
  error: unknown;
  window: CallWindow = { start: 0, end: 0 };
  /** Outcomes of calls made at once. */
  settled: PromiseSettledResult<unknown>[] = [];
  /** Runs as they were before the step that should not change them. */
  readonly snapshots = new Map<string, WorkflowRun | null>();
  readonly notes = new Map<string, unknown>();
  /** The scenario's name (for the replay line of a property failure). */
  pickleName = '';

  constructor(options: IWorldOptions<SuiteParameters>) {
    super(options);
  }

  /** Makes a call and keeps its outcome and its wall-clock window for the "Then" steps. */
  async attempt(call: () => Promise<unknown>): Promise<void> {
    const start = Date.now();
    try {
      this.result = await call();
      this.error = undefined;
    } catch (error) {
      this.result = undefined;
      this.error = error;
    }
    this.window = { start, end: Date.now() };
  }

  /** The last call's value; fails the step, with the error, if the call failed. */
  succeeded<T = unknown>(): T {
    if (this.error !== undefined) {
      const e = this.error as { code?: unknown; message?: unknown };
      assert.fail(`the call failed: ${typeof e?.code === 'string' ? `${e.code}: ` : ''}${String(e?.message ?? e)}`);
    }
    return this.result as T;
  }

  /** The last call's error, checked to be the contract's error with this code (WF-ERR-1). */
  failedWith(code: WorkflowStoreErrorCode): ContractError {
    if (this.error === undefined) {
      assert.fail(`expected ${code}, but the call succeeded and returned ${preview(this.result)}`);
    }
    const problems = contractErrorProblems(this.error);
    if (problems.length > 0) {
      assert.fail(
        `expected a WorkflowStoreError with code ${code}; got ${describeThrown(this.error)}: ${problems.join('; ')}`,
      );
    }
    const error = this.error as ContractError;
    assert.equal(error.code, code, `expected code ${code}, got code ${error.code}: ${error.message}`);
    return error;
  }

  /**
   * A SHOULD rule: `check` throws when the store does not follow it. The scenario goes on; the miss is
   * reported as a recommendation (amber), not a failure.
   */
  recommend(rule: string, check: () => void): void {
    try {
      check();
    } catch (thrown) {
      const error = storeSided(thrown);
      const recommendation: Recommendation = { rule, message: (error as Error)?.message ?? String(error) };
      this.attach(JSON.stringify(recommendation), RECOMMENDATION_MEDIA_TYPE);
    }
  }

  /** Time passes: the harness's clock moves on, or, for a store on its own clock, real time. */
  async passTime(ms: number): Promise<void> {
    if (this.suite.capabilities.clock) {
      this.clock.advance(ms);
      return;
    }
    // Enough for millisecond timestamps to differ; the full wait would only slow the run down.
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 3) + 1));
  }

  /**
   * `timestamp` is the store's now during `window`: the harness's clock exactly when the store takes
   * it, otherwise an ISO UTC millisecond timestamp within the call's wall-clock window.
   */
  assertStoreNow(timestamp: unknown, window: CallWindow, what: string): void {
    assertIsoUtc(timestamp, what);
    if (this.suite.capabilities.clock) {
      assert.equal(timestamp, this.clock.iso(), `${what} is the store's clock (the harness's, which it takes)`);
      return;
    }
    assertWithin(timestamp as string, window, what);
  }

  /** Remembers a run as it is now, for "is unchanged". */
  async snapshot(runId: string): Promise<void> {
    this.snapshots.set(runId, await this.store.getWorkflowRun(runId));
  }
}

export function assertIsoUtc(value: unknown, what: string): void {
  assert.ok(
    typeof value === 'string' && ISO_UTC_MS.test(value) && new Date(value).toISOString() === value,
    `${what} must be an ISO 8601 UTC timestamp with milliseconds (like 2026-11-25T18:54:26.304Z), ` +
      `got ${preview(value)}`,
  );
}

export function assertWithin(timestamp: string, window: CallWindow, what: string): void {
  const at = Date.parse(timestamp);
  assert.ok(
    at >= window.start && at <= window.end,
    `${what} ${timestamp} is outside the call's wall-clock window ` +
      `${new Date(window.start).toISOString()} … ${new Date(window.end).toISOString()}`,
  );
}

/** Why `value` is not the contract's error (WF-ERR-1): each property that is wrong. */
export function contractErrorProblems(value: unknown): string[] {
  if (!(value instanceof Error) && (typeof value !== 'object' || value === null)) {
    return [`a ${typeof value} was thrown, not an Error`];
  }
  const { name, code } = value as { name?: unknown; code?: unknown };
  const problems: string[] = [];
  if (name !== 'WorkflowStoreError') problems.push(`its name is ${preview(name)}, not "WorkflowStoreError"`);
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code)) {
    problems.push(`its code is ${preview(code)}, not one of ${ERROR_CODES.join(', ')}`);
  }
  return problems;
}

function describeThrown(value: unknown): string {
  if (typeof value !== 'object' || value === null) return preview(value);
  const e = value as { name?: unknown; code?: unknown; message?: unknown; constructor?: { name?: string } };
  return (
    `${e.constructor?.name ?? 'an object'} { name: ${preview(e.name)}, ` +
    `code: ${preview(e.code)}, message: ${preview(e.message)} }`
  );
}

setWorldConstructor(StoreWorld);

Before({ name: 'open a fresh store' }, async function (this: StoreWorld, { pickle }) {
  this.pickleName = pickle.name;
  this.suite = currentSuite();
  const generated = sequentialIds('generated');
  const offered = { now: this.clock.now, generateId: () => this.nextIds.shift() ?? generated() };
  this.store = await this.suite.initializer.createStore(storeOptions(this.suite.capabilities, offered));
});

/** Skips a scenario whose needs the store did not declare, saying which capability is missing. */
function needs(tag: string, has: (suite: Suite) => boolean, why: string): void {
  Before({ name: `${tag} needs a capability`, tags: tag }, function (this: StoreWorld) {
    if (has(this.suite)) return undefined;
    this.log(`skipped: the initializer "${this.suite.name}" ${why}`);
    return 'skipped';
  });
}
needs('@durability', (s) => s.capabilities.reopen, 'has no reopenStore, so durability cannot be checked');
needs('@multi-process', (s) => s.capabilities.multiProcess !== undefined, 'declares no supports.multiProcess');
needs('@alongside', (s) => s.capabilities.alongside, 'has no openAlongside (a second store on the same data)');
needs('@ids', (s) => s.capabilities.ids, "does not declare supports.ids, and this scenario sets the store's ids");
needs(
  '@clock',
  (s) => s.capabilities.clock,
  "does not declare supports.clock, and this scenario moves the store's clock",
);

After({ name: 'remove the store' }, async function (this: StoreWorld) {
  if (this.store === undefined) return;
  const { destroyStore } = this.suite.initializer;
  await (destroyStore ? destroyStore(this.store) : this.store.close());
});

// The backend a cucumber run checks: chosen by world parameters ({ backend } or { store }), opened once in
// BeforeAll — its beforeAll hook run and one store made and destroyed as a probe, so an initializer that
// cannot make a store stops the column at once with one message naming the hook — and closed in AfterAll.

import { AfterAll, BeforeAll } from '@cucumber/cucumber';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { CallGuard, DEFAULT_CALL_TIMEOUT_MS } from '../../src/conformance/support/call-guard.js';
import { ManualClock, sequentialIds } from '../../src/conformance/support/clock.js';
import {
  type Capabilities,
  capabilitiesOf,
  contractOf,
  type StoreTestInitializer,
  storeOptions,
} from '../../src/conformance/initializer.js';
import { loadInitializer } from '../../src/conformance/load-initializer.js';
import { registeredInitializer } from '../../src/conformance/registered-initializers.js';
import type { StoreAddress, StoreSource } from '../../src/conformance/support/processes.js';
import type { ReferenceInitializer, StoreLocation } from '../../src/conformance/reference-initializer.js';
import { isBackendName } from '../../src/backends/registry.js';
import type { ContractVersion } from '../../src/contract/versions.js';
import { isContractVersion } from '../../src/conformance/clauses.js';
import { referenceBackend } from '../../src/conformance/reference-initializer.js';

export interface SuiteParameters {
  /** A reference backend: filesystem, sqlite, postgres, memory. */
  backend?: string;
  /** Path of an initializer module (`wfstore conformance --store`). */
  store?: string;
  /** An initializer handed over in this process (describeConformance), by its registration key. */
  initializerKey?: string;
  /** The caller runs the initializer's beforeAll/afterAll and the probe (describeConformance). */
  managed?: boolean;
  /** Bound of each call into the store, in ms. */
  callTimeoutMs?: number;
  /** The contract version the store is judged by (default: the one its initializer declares, else 1.1). */
  contract?: string;
  /** The property scenarios: number of runs, a seed and path to replay, the command to print for it. */
  properties?: {
    runs?: number;
    seed?: number;
    path?: string;
    replayPath?: string;
    replay?: string;
    timeoutMs?: number;
  };
  /** By scenario name: the seed a property scenario replays (an expectations entry recorded it). */
  propertySeeds?: Record<string, number>;
}

export interface Suite {
  name: string;
  /** The initializer as the scenarios use it: every hook and store call bounded by the call guard. */
  initializer: StoreTestInitializer;
  capabilities: Capabilities;
  /** The contract version the store is judged by: the engine and the properties use only what it offers. */
  contract: ContractVersion;
  /** How a child process finds this initializer again (the multi-process scenarios). */
  source: StoreSource | undefined;
  /** Where a child process finds the store (the multi-process scenarios). */
  address(store: IWorkflowStore): StoreAddress;
  /** Present for the reference backends: where a store keeps its data, for the layout steps. */
  locate: ((store: IWorkflowStore) => StoreLocation) | undefined;
}

let current: Suite | undefined;

export function currentSuite(): Suite {
  if (current === undefined) throw new Error('the suite was not opened (BeforeAll did not run)');
  return current;
}

async function open(parameters: SuiteParameters): Promise<Suite> {
  let initializer: StoreTestInitializer;
  let reference: ReferenceInitializer | undefined;
  let source: StoreSource | undefined;
  if (parameters.initializerKey !== undefined) {
    ({ initializer, source } = registeredInitializer(parameters.initializerKey));
  } else if (parameters.store !== undefined) {
    initializer = await loadInitializer(parameters.store);
    source = { module: parameters.store };
  } else {
    const name = parameters.backend ?? 'sqlite';
    if (!isBackendName(name)) throw new Error(`world parameter backend: unknown backend "${name}"`);
    reference = referenceBackend(name, { log: (line) => console.error(line) });
    initializer = reference;
    source = { reference: name };
  }
  const given = parameters.contract;
  if (given !== undefined && !isContractVersion(given)) throw new Error(`world parameter contract: "${given}"`);
  const guard = new CallGuard(parameters.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  const guarded = guard.initializer(initializer);
  return {
    name: initializer.name,
    initializer: guarded,
    // Another process can open the store only if it can find the initializer again.
    capabilities: { ...capabilitiesOf(initializer), ...(source === undefined ? { multiProcess: undefined } : {}) },
    contract: contractOf(initializer, given).judged,
    source,
    address(store) {
      const support = guarded.supports?.multiProcess;
      if (support === undefined || source === undefined) {
        throw new Error(
          `"${initializer.name}" cannot be opened from another process (no supports.multiProcess, or no module)`,
        );
      }
      return { source, location: support.locate(store) };
    },
    locate: reference && ((store) => reference.locate(CallGuard.unwrap(store))),
  };
}

/** Calls one hook of the initializer; a failure names it. */
async function hook<T>(name: string, suite: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new Error(`the initializer "${suite}": ${name} failed: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
}

BeforeAll({ timeout: 300_000 }, async function (this: { parameters: SuiteParameters }) {
  current = await open(this.parameters ?? {});
  if (this.parameters?.managed) return; // describeConformance ran beforeAll and the probe once for all
  const { initializer, capabilities } = current;
  await hook('beforeAll()', current.name, async () => initializer.beforeAll?.());
  const clock = new ManualClock();
  const probe = await hook('createStore()', current.name, () =>
    initializer.createStore(storeOptions(capabilities, { now: clock.now, generateId: sequentialIds('probe') })),
  );
  await hook('destroyStore()', current.name, async () => initializer.destroyStore?.(probe) ?? probe.close());
});

AfterAll({ timeout: 300_000 }, async function (this: { parameters?: SuiteParameters }) {
  const suite = current;
  current = undefined;
  if (suite !== undefined && !this?.parameters?.managed) {
    await hook('afterAll()', suite.name, async () => suite.initializer.afterAll?.());
  }
});

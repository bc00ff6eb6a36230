// Bounds every call the harness makes into a store under test, so a hanging store fails the scenario that
// met it, naming the method, instead of stalling the run. A method that hung once gets a short bound for
// the rest of the run: a store whose method never settles costs one full timeout, not one per scenario.

import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import type { StoreTestInitializer } from '../initializer.js';

/** The default bound of one call (`wfstore conformance --call-timeout`). */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** The bound for a method that already hung once in this run. */
const AFTER_A_HANG_MS = 1_000;

export class CallTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
    hungBefore: boolean,
  ) {
    super(
      `${method}() did not settle within ${timeoutMs} ms` +
        (hungBefore
          ? ` (it already hung once in this run, so later calls get ${AFTER_A_HANG_MS} ms)`
          : ' (the call timeout; set it with --call-timeout <ms>)'),
    );
    this.name = 'CallTimeoutError';
  }
}

const STORE_METHODS = [
  'createWorkflowRun',
  'getWorkflowRun',
  'listWorkflowRuns',
  'updateWorkflowRun',
  'deleteWorkflowRun',
  'createWorkflowEvent',
  'listWorkflowEvents',
  'getCompletedDagNodeOutputs',
  'close',
] as const;

export class CallGuard {
  private readonly hung = new Set<string>();

  constructor(readonly timeoutMs: number = DEFAULT_CALL_TIMEOUT_MS) {}

  /** Runs `call`, rejecting with CallTimeoutError if it has not settled in time. */
  async bound<T>(method: string, call: () => Promise<T> | T): Promise<T> {
    const hungBefore = this.hung.has(method);
    const ms = hungBefore ? Math.min(this.timeoutMs, AFTER_A_HANG_MS) : this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.hung.add(method);
        reject(new CallTimeoutError(method, ms, hungBefore));
      }, ms);
    });
    // The call starts now, synchronously: a store reads its input when called (WF-CPY-1), and a caller
    // may change its objects as soon as the call has returned its promise.
    let started: Promise<T>;
    try {
      started = Promise.resolve(call());
    } catch (error) {
      started = Promise.reject(error);
    }
    try {
      return await Promise.race([started, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The store with each method bounded; other properties pass through. */
  store(store: IWorkflowStore): IWorkflowStore {
    const guarded = Object.create(null) as Record<string, unknown>;
    for (const method of STORE_METHODS) {
      guarded[method] = (...args: unknown[]) =>
        this.bound(method, () => (store[method] as (...a: unknown[]) => Promise<unknown>).apply(store, args));
    }
    originals.set(guarded as unknown as IWorkflowStore, store);
    return guarded as unknown as IWorkflowStore;
  }

  /** The initializer with its hooks bounded and the stores it makes guarded. */
  initializer(initializer: StoreTestInitializer): StoreTestInitializer {
    const unwrap = (store: IWorkflowStore) => originals.get(store) ?? store;
    const { beforeAll, reopenStore, openAlongside, destroyStore, afterAll } = initializer;
    return {
      ...initializer,
      beforeAll: beforeAll && (() => this.bound('beforeAll', () => beforeAll.call(initializer))),
      createStore: async (options?: DeterminismOptions) =>
        this.store(await this.bound('createStore', () => initializer.createStore(options))),
      reopenStore:
        reopenStore &&
        (async (store) =>
          this.store(await this.bound('reopenStore', () => reopenStore.call(initializer, unwrap(store))))),
      openAlongside:
        openAlongside &&
        (async (store) =>
          this.store(await this.bound('openAlongside', () => openAlongside.call(initializer, unwrap(store))))),
      destroyStore:
        destroyStore && ((store) => this.bound('destroyStore', () => destroyStore.call(initializer, unwrap(store)))),
      afterAll: afterAll && (() => this.bound('afterAll', () => afterAll.call(initializer))),
      supports: initializer.supports?.multiProcess
        ? {
            ...initializer.supports,
            multiProcess: {
              ...initializer.supports.multiProcess,
              locate: (store) => initializer.supports!.multiProcess!.locate(unwrap(store)),
            },
          }
        : initializer.supports,
    };
  }

  /** The store a guarded one wraps (for code that must see the store itself, e.g. a layout check). */
  static unwrap(store: IWorkflowStore): IWorkflowStore {
    return originals.get(store) ?? store;
  }
}

const originals = new WeakMap<IWorkflowStore, IWorkflowStore>();

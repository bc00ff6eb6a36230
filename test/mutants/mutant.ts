// A mutant is a correct store with exactly one contract rule broken, checked through the same initializer
// path a third party uses. Each mutant is a wrapper that breaks its rule at the interface, so the same
// mutant can be built on two correct stores:
//   - "memory": the reference memory store, which takes the harness's clock and ids;
//   - "third-party": test/third-party/store.ts, written from docs/contract.md alone, on its own clock and
//     ids, with its own error class — so the clock-free checks of the suite are put to the test too.
// Adding a mutant is one small file that default-exports mutant({ name, rule, breaks, wrap }): the rule it
// breaks (an id of docs/contract.md), what it breaks in one line, and — when the scenarios that catch it are
// not those tagged with its rule — `caughtBy`, a tag expression, with the reason in `why`. A mutant of the
// store's clock or ids (WF-DET-2) reads the clock and id source the harness offers (`offered`, given to a
// store that takes them), may open the correct store on other ones (`opens`), and says it `needs` them: on a
// store with its own clock and ids it breaks nothing the suite can see (the scenarios that set the clock or
// the ids do not apply there), so it is built only on a store that takes them.
// test/mutants/clauses.slow.test.ts runs each on those scenarios and demands a mutant for every MUST rule.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type {
  DeterminismOptions,
  IWorkflowStore,
  JsonObject,
  JsonValue,
  ListWorkflowRunsOptions,
  RunPosition,
  WorkflowRun,
} from '../../src/contract/types.js';
import { parseCreateEvent, parseUpdateRun } from '../../src/contract/validation.js';
import { atLeast, DEFAULT_CONTRACT, LATEST_CONTRACT } from '../../src/contract/versions.js';
import { loadRulesSync } from '../../src/conformance/clauses.js';
import type { StoreTestInitializer } from '../../src/conformance/initializer.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

/** State a mutant keeps beside the data (it survives a reopen, as the data does). */
export type Kept = <T>(key: string, init: () => T) => T;

export interface MutantSpec {
  /** The name of its file, without ".ts". */
  name: string;
  /** The contract rule this mutant breaks (an id of docs/contract.md). */
  rule: string;
  /** What it breaks, in one line. */
  breaks: string;
  /** The scenarios expected to catch it, as a tag expression. Default: those tagged with its rule. */
  caughtBy?: string;
  /** Why `caughtBy` names other scenarios than the rule's own. */
  why?: string;
  /** What the store must take from the harness for the suite to see this mutant (supports.clock, .ids). */
  needs?: readonly ('clock' | 'ids')[];
  /** The clock and id source the correct store is opened with, from those offered. Default: those offered. */
  opens?: (offered: DeterminismOptions) => DeterminismOptions;
  wrap: (base: IWorkflowStore, kept: Kept, offered: DeterminismOptions) => Partial<IWorkflowStore>;
}

export interface Mutant extends Required<Omit<MutantSpec, 'why'>> {
  why: string | undefined;
  /** The level of the rule broken: a SHOULD mutant is caught when the suite shows it amber. */
  level: 'MUST' | 'SHOULD';
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RULES = loadRulesSync(PACKAGE_ROOT);

export function mutant(spec: MutantSpec): Mutant {
  return {
    ...spec,
    caughtBy: spec.caughtBy ?? `@${spec.rule}`,
    why: spec.why,
    needs: spec.needs ?? [],
    opens: spec.opens ?? ((offered) => offered),
    level: RULES.get(spec.rule)?.level ?? 'MUST',
  };
}

/** Every mutant file of this folder (all .ts files but mutant.ts and the tests), by name, sorted. */
export async function mutantNames(): Promise<string[]> {
  return (await fs.readdir(HERE))
    .filter((f) => f.endsWith('.ts') && f !== 'mutant.ts' && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

export async function loadMutant(name: string): Promise<Mutant> {
  return ((await import(pathToFileURL(path.join(HERE, `${name}.ts`)).href)) as { default: Mutant }).default;
}

export type BaseName = 'memory' | 'third-party';

/** A correct store to break: how to make its data, and how to open a store on it. */
interface Base {
  /** The contract version the store implements; the memory store implements the latest. */
  contract: StoreTestInitializer['contract'];
  supports: StoreTestInitializer['supports'];
  newData(): unknown;
  open(data: unknown, options: Parameters<StoreTestInitializer['createStore']>[0]): Promise<IWorkflowStore>;
}

async function base(name: BaseName): Promise<Base> {
  if (name === 'memory') {
    const { createMemoryStore, MemoryDatabase } = await import('../../src/backends/memory/index.js');
    return {
      contract: LATEST_CONTRACT,
      supports: { clock: true, ids: true },
      newData: () => new MemoryDatabase(),
      open: (data, options) => createMemoryStore({ ...options, database: data as InstanceType<typeof MemoryDatabase> }),
    };
  }
  const { createThirdPartyStore, Database } = await import('../third-party/store.js');
  return {
    contract: undefined, // as its own initializer (test/third-party/conformance.ts) declares
    supports: {},
    newData: () => new Database(),
    open: async (data) => createThirdPartyStore({ database: data as InstanceType<typeof Database> }),
  };
}

/**
 * The version a mutant is judged by: the one its store declares, or that of the rule it breaks when later —
 * judged by an earlier one, the scenarios of that rule would not count. This asks the store to pass the
 * later version unbroken (mutation.slow.test.ts checks that the third-party store passes the latest).
 */
function judgedBy(declared: StoreTestInitializer['contract'], rule: string): StoreTestInitializer['contract'] {
  const since = RULES.get(rule)?.since;
  return since === undefined || atLeast(declared ?? DEFAULT_CONTRACT, since) ? declared : since;
}

/** Whether the suite can see `spec` on that store: it takes from the harness what the mutant needs. */
export async function shows(spec: Mutant, baseName: BaseName): Promise<boolean> {
  const { supports } = await base(baseName);
  return spec.needs.every((capability) => supports?.[capability] === true);
}

/** The mutant as an initializer, built on one of the correct stores. */
export async function onBase(spec: Mutant, baseName: BaseName): Promise<StoreTestInitializer> {
  const b = await base(baseName);
  const made = new Map<IWorkflowStore, { data: unknown; kept: Map<string, unknown>; offered: DeterminismOptions }>();
  const open = async (data: unknown, kept: Map<string, unknown>, offered: DeterminismOptions = {}) => {
    const store = await b.open(data, spec.opens(offered));
    const keep: Kept = <T>(key: string, init: () => T) => {
      if (!kept.has(key)) kept.set(key, init());
      return kept.get(key) as T;
    };
    const broken: IWorkflowStore = { ...bound(store), ...spec.wrap(store, keep, offered) };
    made.set(broken, { data, kept, offered });
    return broken;
  };
  return {
    name: `${spec.name}${baseName === 'memory' ? '' : `-on-${baseName}`}`,
    contract: judgedBy(b.contract, spec.rule),
    supports: b.supports,
    createStore: (options) => open(b.newData(), new Map(), options),
    async reopenStore(store) {
      const entry = made.get(store)!;
      await store.close();
      made.delete(store);
      return open(entry.data, entry.kept, entry.offered);
    },
    async destroyStore(store) {
      await store.close();
      made.delete(store);
    },
  };
}

function bound(store: IWorkflowStore): IWorkflowStore {
  return {
    createWorkflowRun: (input) => store.createWorkflowRun(input),
    getWorkflowRun: (id) => store.getWorkflowRun(id),
    listWorkflowRuns: (options) => store.listWorkflowRuns(options),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, patch, options),
    deleteWorkflowRun: (id) => store.deleteWorkflowRun(id),
    createWorkflowEvent: (input, options) => store.createWorkflowEvent(input, options),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, options),
    getCompletedDagNodeOutputs: (runId) => store.getCompletedDagNodeOutputs(runId),
    close: () => store.close(),
  };
}

/** Lets other work in the process run, as an await on I/O would: where a missing lock shows. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Applies `change` to each run a call returns (one, a list, or null). */
export function eachRun<T>(value: T, change: (run: WorkflowRun) => void): T {
  const runs = Array.isArray(value) ? value : value === null ? [] : [value];
  for (const run of runs) change(run);
  return value;
}

/**
 * Whether the offered clock reads what WF-DET-2 calls a fault of the store: no valid Date, or a time outside
 * years 1 to 9999. False without a clock (a store on its own clock).
 */
export function clockFault(offered: DeterminismOptions): boolean {
  if (offered.now === undefined) return false;
  const date: unknown = offered.now();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return true;
  const year = date.getUTCFullYear();
  return year < 1 || year > 9999;
}

/**
 * `call`, except that when it fails with `code`, the error `first` gives (if any) is thrown instead: what a
 * store that made `first`'s check before its own would answer. A refused call wrote nothing, so `first`
 * sees the store as it was before the call.
 */
export async function checkedFirst<T>(
  call: () => Promise<T>,
  code: string,
  first: () => Promise<Error | undefined>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isWorkflowStoreError(error) || error.code !== code) throw error;
    throw (await first()) ?? error;
  }
}

/** An own data property of an input object, read without running a getter or a Proxy trap. */
export function ownField(input: unknown, key: string): unknown {
  if (typeof input !== 'object' || input === null || types.isProxy(input)) return undefined;
  return Object.getOwnPropertyDescriptor(input, key)?.value;
}

/** Whether the store holds a run with this id; undefined when `id` is no run id the store accepts. */
export async function runExists(store: IWorkflowStore, id: unknown): Promise<boolean | undefined> {
  try {
    return (await store.getWorkflowRun(id as string)) !== null;
  } catch {
    return undefined;
  }
}

/** The operations of a store, close() aside. */
export const OPERATIONS = [
  'createWorkflowRun',
  'getWorkflowRun',
  'listWorkflowRuns',
  'updateWorkflowRun',
  'deleteWorkflowRun',
  'createWorkflowEvent',
  'listWorkflowEvents',
  'getCompletedDagNodeOutputs',
] as const;

/** What a mutant may do to one property of an input it copies: change it, keep it, or drop it (undefined). */
export type Edit = (
  descriptor: PropertyDescriptor,
  key: string | symbol,
  holder: object,
) => PropertyDescriptor | undefined;

/**
 * A copy of the plain objects and arrays in `value`, made through their property descriptors, each property
 * passed through `edit` (data properties are copied further down). Anything else — a Proxy, a Date, a class
 * instance (an array of a subclass of Array too), an object or array of another realm, a container already
 * being copied (a cycle) — is kept as it is, for the store to judge; but a container `asPlain` picks is
 * copied too, as a plain object or array of this realm.
 */
export function copyWith(
  value: unknown,
  edit: Edit,
  asPlain: (container: object) => boolean = () => false,
  ancestors: object[] = [],
): unknown {
  if (typeof value !== 'object' || value === null || types.isProxy(value) || ancestors.includes(value)) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null;
  if (!plain && !asPlain(value)) return value;
  const copy: object = Array.isArray(value) ? [] : plain ? Object.create(proto as object | null) : {};
  ancestors.push(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = edit(Object.getOwnPropertyDescriptor(value, key)!, key, value);
    if (descriptor === undefined) continue;
    const isData = Object.hasOwn(descriptor, 'value');
    Object.defineProperty(
      copy,
      key,
      isData ? { ...descriptor, value: copyWith(descriptor.value, edit, asPlain, ancestors) } : descriptor,
    );
  }
  ancestors.pop();
  return copy;
}

/** Whether `value` is an object or array of another realm (a `node:vm` context): its Object or Array. */
export function ofAnotherRealm(value: object): boolean {
  if (types.isProxy(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (typeof proto !== 'object' || proto === null) return false;
  const maker: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof maker !== 'function') return false;
  const name: unknown = Object.getOwnPropertyDescriptor(maker, 'name')?.value;
  return (name === 'Object' && maker !== Object) || (name === 'Array' && maker !== Array);
}

/** The fields each input object of an operation defines (WF-VAL-13), by where it is. */
export const INPUT_FIELDS = {
  createWorkflowRun: ['id', 'workflow_name', 'user_message', 'status', 'metadata'],
  createWorkflowEvent: ['run_id', 'event_type', 'payload'],
  patch: ['status', 'metadata'],
  options: ['expected_status', 'expected_metadata', 'event', 'events'],
  'options.event': ['event_type', 'payload'],
  listWorkflowRuns: ['status', 'workflow_name', 'limit', 'order', 'after', 'created_after', 'created_before'],
  listWorkflowEvents: ['after_sequence', 'limit'],
} as const;

/** What a mutant does to one input object, given the fields it defines: the object the store gets. */
export type InputChange = (value: unknown, fields: readonly string[]) => unknown;

/**
 * The operations, each passing its input objects — the inputs, the patch, the options and their `event`,
 * the filter — through `change` before the store sees them. A changed `options.event` is put into a copy
 * of the options made through their descriptors, with their prototype.
 */
export function changingInputObjects(store: IWorkflowStore, change: InputChange): Partial<IWorkflowStore> {
  const f = INPUT_FIELDS;
  const options = (value: unknown): unknown => {
    const changed = change(value, f.options);
    const event = ownField(changed, 'event');
    const changedEvent = event === undefined ? event : change(event, f['options.event']);
    if (changedEvent === event) return changed;
    return Object.create(Object.getPrototypeOf(changed) as object | null, {
      ...Object.getOwnPropertyDescriptors(changed),
      event: { value: changedEvent, enumerable: true, writable: true, configurable: true },
    }) as unknown;
  };
  return {
    createWorkflowRun: (input) => store.createWorkflowRun(change(input, f.createWorkflowRun) as never),
    createWorkflowEvent: (input) => store.createWorkflowEvent(change(input, f.createWorkflowEvent) as never),
    updateWorkflowRun: (id, patch, opts) =>
      store.updateWorkflowRun(id, change(patch, f.patch) as never, options(opts) as never),
    listWorkflowRuns: (filter) => store.listWorkflowRuns(change(filter, f.listWorkflowRuns) as never),
    listWorkflowEvents: (runId, opts) => store.listWorkflowEvents(runId, change(opts, f.listWorkflowEvents) as never),
  };
}

/**
 * Fields of runs shown over what the base store holds, kept beside the data: how a mutant that accepts
 * what the base refuses shows what it "stored". `methods` are the reads and writes that show them.
 */
export function runOverlay(store: IWorkflowStore, kept: Kept, key: string) {
  const fields = kept(key, () => new Map<string, Partial<WorkflowRun>>());
  const shown = <T>(value: T): T =>
    eachRun(value, (run) => Object.assign(run, structuredClone(fields.get(run.id) ?? {})));
  const methods: Partial<IWorkflowStore> = {
    getWorkflowRun: async (id) => shown(await store.getWorkflowRun(id)),
    listWorkflowRuns: async (options) => shown(await store.listWorkflowRuns(options)),
    updateWorkflowRun: async (id, patch, options) => shown(await store.updateWorkflowRun(id, patch, options)),
    async deleteWorkflowRun(id) {
      const existed = await store.deleteWorkflowRun(id);
      if (existed) fields.delete(id);
      return existed;
    },
  };
  return { fields, shown, methods };
}

/**
 * Writes an initializer module for one mutant on one base into `dir` — what `--store` is given — and
 * returns its path. Each (mutant, base) gets its own module, so one process can run several.
 */
export async function mutantModule(name: string, baseName: BaseName, dir: string): Promise<string> {
  const target = path.join(dir, baseName, `${name}.ts`);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const spec = pathToFileURL(path.join(HERE, `${name}.ts`)).href;
  const helpers = pathToFileURL(path.join(HERE, 'mutant.ts')).href;
  await fs.writeFile(
    target,
    `import spec from '${spec}';\nimport { onBase } from '${helpers}';\n` +
      `export default await onBase(spec, '${baseName}');\n`,
  );
  return target;
}

/**
 * Writes an initializer module for the same base with nothing broken, under a mutant's name: that store
 * "fixed", so what was expected to fail now passes.
 */
export async function fixedModule(name: string, baseName: BaseName, dir: string): Promise<string> {
  const target = path.join(dir, 'fixed', baseName, `${name}.ts`);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const helpers = pathToFileURL(path.join(HERE, 'mutant.ts')).href;
  await fs.writeFile(
    target,
    `import { mutant, onBase } from '${helpers}';\n` +
      `export default await onBase(mutant({ name: '${name}', rule: 'none', breaks: 'nothing', wrap: () => ({}) }), ` +
      `'${baseName}');\n`,
  );
  return target;
}

/** Runs `work` over `items`, `limit` at a time; the results in the order of `items`. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

// --- contract 1.2: conditions on metadata (WF-CAS-3, WF-SEQ-4) and keyset paging (WF-RUN-7) --------------

/** How a mutant compares one expected key with the stored metadata: true when it takes them as equal. */
export type MetadataEquality = (stored: JsonObject, key: string, expected: JsonValue) => boolean;

/** A value no stored metadata holds: an expected key set to it always differs. */
const DIFFERS: JsonValue = { 'mutant:differs': [] };

/**
 * Conditions as a store comparing expected_metadata by `equal` would judge them: each key it takes as equal
 * is made to match the stored run (or left out, when the run lacks it), each other key to differ, so the base
 * store answers — and orders its checks — as that store would. Input the base refuses is left as it is.
 */
async function metadataJudgedBy(
  store: IWorkflowStore,
  runId: unknown,
  conditions: unknown,
  valid: () => unknown,
  equal: MetadataEquality,
): Promise<unknown> {
  const expected = ownField(conditions, 'expected_metadata') as JsonObject | undefined;
  if (expected === undefined) return conditions;
  try {
    valid();
  } catch {
    return conditions;
  }
  const run = await store.getWorkflowRun(runId as string).catch(() => null);
  if (run === null) return conditions;
  const judged: JsonObject = {};
  const put = (key: string, value: JsonValue) =>
    Object.defineProperty(judged, key, { value, enumerable: true, writable: true, configurable: true });
  for (const key of Object.keys(expected)) {
    if (!equal(run.metadata, key, expected[key]!)) put(key, DIFFERS);
    else if (Object.hasOwn(run.metadata, key)) put(key, run.metadata[key]!);
  }
  return { ...(conditions as object), expected_metadata: judged };
}

/** updateWorkflowRun (`updates`) or createWorkflowEvent (`appends`) comparing expected metadata by `equal`. */
export function comparingMetadataBy(
  store: IWorkflowStore,
  equal: MetadataEquality,
  which: 'updates' | 'appends',
): Partial<IWorkflowStore> {
  if (which === 'updates') {
    return {
      updateWorkflowRun: async (id, patch, options) =>
        store.updateWorkflowRun(
          id,
          patch,
          (await metadataJudgedBy(store, id, options, () => parseUpdateRun(id, patch, options), equal)) as never,
        ),
    };
  }
  return {
    createWorkflowEvent: async (input, options) => {
      const runId = ownField(input, 'run_id');
      const judged = await metadataJudgedBy(store, runId, options, () => parseCreateEvent(input, options), equal);
      return store.createWorkflowEvent(input, judged as never);
    },
  };
}

/** The contract's order of runs (WF-RUN-4, WF-RUN-7): created_at, then id, in code units; 'desc' reverses both. */
export function compareRuns(a: RunPosition, b: RunPosition, order: 'asc' | 'desc' = 'asc'): number {
  const asc =
    (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'desc' ? -asc : asc;
}

/** What listWorkflowRuns was asked beyond its filters. */
export interface Listing {
  order: 'asc' | 'desc';
  after?: RunPosition | undefined;
  created_after?: string | undefined;
  created_before?: string | undefined;
  limit?: number | undefined;
}

/** The contract's steps after the filters (WF-RUN-7), for a mutant to change one of. */
export const listing = {
  bounded: (runs: WorkflowRun[], l: Listing) =>
    runs.filter(
      (r) =>
        (l.created_after === undefined || r.created_at > l.created_after) &&
        (l.created_before === undefined || r.created_at < l.created_before),
    ),
  ordered: (runs: WorkflowRun[], l: Listing) => [...runs].sort((a, b) => compareRuns(a, b, l.order)),
  positioned: (runs: WorkflowRun[], l: Listing) =>
    l.after === undefined ? runs : runs.filter((r) => compareRuns(r, l.after!, l.order) > 0),
  limited: (runs: WorkflowRun[], l: Listing) => (l.limit === undefined ? runs : runs.slice(0, l.limit)),
};

/**
 * listWorkflowRuns answered by `select` over the base store's runs that pass the filters (oldest first); the
 * base store is asked the same call first, so invalid input gets its answer.
 */
export function listingBy(
  store: IWorkflowStore,
  select: (runs: WorkflowRun[], l: Listing, options: ListWorkflowRunsOptions) => WorkflowRun[] | Promise<WorkflowRun[]>,
): Partial<IWorkflowStore> {
  return {
    async listWorkflowRuns(options) {
      await store.listWorkflowRuns(options);
      const { status, workflow_name, order, ...rest } = options ?? {};
      const runs = await store.listWorkflowRuns({ status, workflow_name });
      return select(runs, { order: order ?? 'asc', ...rest }, options ?? {});
    },
  };
}

/** Whether `value` is a plain array of this realm (not a Proxy): what options.events must be (WF-UPD-5). */
export function plainList(value: unknown): value is unknown[] {
  return Array.isArray(value) && !types.isProxy(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/**
 * updateWorkflowRun, telling `committed` the sequences of the events an update's options.events appended
 * (the run's log just before and after it; calls are not concurrent in the scenarios that look).
 */
export function noticingListedEvents(
  store: IWorkflowStore,
  committed: (runId: string, sequences: number[]) => void,
): IWorkflowStore['updateWorkflowRun'] {
  return async (id, patch, options) => {
    const events = ownField(options, 'events');
    if (!plainList(events)) return store.updateWorkflowRun(id, patch, options);
    const before = (await store.listWorkflowEvents(id).catch(() => [])).length;
    const run = await store.updateWorkflowRun(id, patch, options);
    committed(
      run.id,
      events.map((_, i) => before + i + 1),
    );
    return run;
  };
}

import { oneTypoApart } from '../backends/typo.js';
import type { Capabilities, StoreCapabilities } from '../contract/capabilities.js';
import type { DeterminismOptions, IWorkflowStore } from '../contract/types.js';
import { CONTRACT_VERSIONS, type ContractVersion, DEFAULT_CONTRACT, LATEST_CONTRACT } from '../contract/versions.js';

export type { ContractVersion } from '../contract/versions.js';

export type { Capabilities, MultiProcessSupport, StoreCapabilities } from '../contract/capabilities.js';

/**
 * How a backend is validated: the default export of a module given to `wfstore conformance --store`.
 * See docs/contract.md, section "Validating any backend".
 */
export interface StoreTestInitializer {
  /** Shown as the backend's column in reports. */
  name: string;
  /**
   * The contract version the store implements, which it is judged by (docs/contract.md, "Versions").
   * Absent: 1.1, the version in force before versions could be declared.
   */
  contract?: ContractVersion | undefined;
  /** The store itself, named in the report's header. */
  about?: { name?: string | undefined; version?: string | undefined } | undefined;
  /** What the store can do; a capability not declared is not assumed. */
  supports?: StoreCapabilities | undefined;
  /** Start infrastructure once, before the first scenario. */
  beforeAll?: () => Promise<void>;
  /**
   * A fresh, empty, isolated store per scenario. `options` holds the harness's clock (`now`) and id source
   * (`generateId`) for the capabilities declared in `supports`, and nothing otherwise.
   */
  createStore: (options?: DeterminismOptions) => Promise<IWorkflowStore>;
  /** Close the store and open the same data again. Without it, durability scenarios are skipped. */
  reopenStore?: (store: IWorkflowStore) => Promise<IWorkflowStore>;
  /**
   * A second store on the same data as `store`, both open at once (another connection or handle, as another
   * part of the same program would have); the harness closes it. A reader on it can overlap an update still
   * in progress on `store`, which no reader of `store` itself may when the store runs one call at a time.
   * Without it, the scenarios tagged @alongside do not apply.
   */
  openAlongside?: (store: IWorkflowStore) => Promise<IWorkflowStore>;
  /** Remove what createStore made (the store may already be closed). */
  destroyStore?: (store: IWorkflowStore) => Promise<void>;
  /** Stop infrastructure, after the last scenario. */
  afterAll?: () => Promise<void>;
}

export function capabilitiesOf(initializer: StoreTestInitializer): Capabilities {
  const s = initializer.supports ?? {};
  return {
    clock: s.clock === true,
    ids: s.ids === true,
    reopen: initializer.reopenStore !== undefined,
    alongside: initializer.openAlongside !== undefined,
    multiProcess: s.multiProcess,
    permanent: s.permanent === true,
    features: [...(s.features ?? [])],
  };
}

/** The version a store is judged by: the run's override, else the one it declares, else 1.1. */
export interface ContractChoice {
  /** What the initializer declares; undefined when it declares none. */
  declared: ContractVersion | undefined;
  /** What the store is judged by. */
  judged: ContractVersion;
}

export function contractOf(initializer: StoreTestInitializer, override?: ContractVersion): ContractChoice {
  const declared = initializer.contract;
  return { declared, judged: override ?? declared ?? DEFAULT_CONTRACT };
}

/** The line a run prints for a store that declares no version. */
export function assumedContractLine(name: string): string {
  return (
    `${name}: declares no contract version; judged by ${DEFAULT_CONTRACT} (the latest is ${LATEST_CONTRACT}). ` +
    `Pin it with \`contract: '${LATEST_CONTRACT}'\` in the initializer.`
  );
}

/** The options createStore receives: only what the initializer declared it takes. */
export function storeOptions(capabilities: Capabilities, offered: Required<DeterminismOptions>): DeterminismOptions {
  return {
    ...(capabilities.clock ? { now: offered.now } : {}),
    ...(capabilities.ids ? { generateId: offered.generateId } : {}),
  };
}

const HOOKS = ['beforeAll', 'reopenStore', 'openAlongside', 'destroyStore', 'afterAll'] as const;

/** The fields of an initializer besides "name" and "createStore". */
export const OPTIONAL_FIELDS = ['contract', 'about', 'supports', ...HOOKS] as const;

/** Why `value` is not a StoreTestInitializer, or undefined when it is one. */
export function initializerProblem(value: unknown): string | undefined {
  if (value === undefined) return 'the module has no default export';
  if (typeof value !== 'object' || value === null)
    return `it is ${value === null ? 'null' : `a ${typeof value}`}, not an object`;
  const v = value as Record<string, unknown>;
  const fields: string[] = ['name', 'createStore', ...OPTIONAL_FIELDS];
  const extra = Object.keys(v).filter((k) => !fields.includes(k));
  const near = extra.find((k) => fields.some((n) => oneTypoApart(k, n)));
  if (near !== undefined) {
    const meant = fields.find((n) => oneTypoApart(near, n))!;
    return `"${near}" is not a field of an initializer; did you mean "${meant}"?`;
  }
  if (typeof v.name !== 'string' || v.name.length === 0) return '"name" must be a non-empty string';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v.name)) {
    return (
      `"name" ${JSON.stringify(v.name)} must be 1 to 64 of letters, digits, ".", "_", "-" ` +
      '(it names a report folder)'
    );
  }
  if (typeof v.createStore !== 'function') return '"createStore" must be a function';
  if (v.contract !== undefined && !(CONTRACT_VERSIONS as readonly unknown[]).includes(v.contract)) {
    return `"contract" must be one of ${CONTRACT_VERSIONS.map((c) => `'${c}'`).join(', ')}`;
  }
  const aboutProblem = problemOfAbout(v.about);
  if (aboutProblem !== undefined) return aboutProblem;
  for (const hook of HOOKS) {
    if (v[hook] !== undefined && typeof v[hook] !== 'function') return `"${hook}" must be a function when given`;
  }
  if (v.supports === undefined) return undefined;
  if (typeof v.supports !== 'object' || v.supports === null) return '"supports" must be an object when given';
  const s = v.supports as Record<string, unknown>;
  const known = ['clock', 'ids', 'reopen', 'alongside', 'multiProcess', 'permanent', 'features'];
  const unknown = Object.keys(s).find((k) => !known.includes(k));
  if (unknown !== undefined) return `"supports.${unknown}" is not a capability (known: ${known.join(', ')})`;
  for (const flag of ['clock', 'ids', 'reopen', 'alongside', 'permanent'] as const) {
    if (s[flag] !== undefined && typeof s[flag] !== 'boolean') return `"supports.${flag}" must be a boolean`;
  }
  if (
    s.features !== undefined &&
    (!Array.isArray(s.features) || !s.features.every((f) => typeof f === 'string' && /^[a-z][a-z0-9-]*$/.test(f)))
  ) {
    return '"supports.features" must be an array of feature names (lower case letters, digits, "-")';
  }
  if (s.reopen === true && v.reopenStore === undefined)
    return '"supports.reopen" is true but there is no "reopenStore"';
  if (s.alongside === true && v.openAlongside === undefined)
    return '"supports.alongside" is true but there is no "openAlongside"';
  if (s.multiProcess !== undefined) {
    const m = s.multiProcess as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || typeof m.locate !== 'function' || typeof m.open !== 'function') {
      return '"supports.multiProcess" must be { locate(store), open(location) }';
    }
  }
  return undefined;
}

function problemOfAbout(about: unknown): string | undefined {
  if (about === undefined) return undefined;
  if (typeof about !== 'object' || about === null) return '"about" must be an object when given';
  for (const [key, value] of Object.entries(about)) {
    if (key !== 'name' && key !== 'version') return `"about.${key}" is not known (known: name, version)`;
    if (value !== undefined && typeof value !== 'string') return `"about.${key}" must be a string`;
  }
  return undefined;
}

export function isStoreTestInitializer(value: unknown): value is StoreTestInitializer {
  return initializerProblem(value) === undefined;
}

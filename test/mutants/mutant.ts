// A mutant is a correct store with exactly one contract rule broken, checked through the same initializer
// path a third party uses. Each mutant is a wrapper that breaks its rule at the interface, so the same
// mutant can be built on two correct stores:
//   - "memory": the reference memory store, which takes the harness's clock and ids;
//   - "third-party": test/third-party/store.ts, written from docs/contract.md alone, on its own clock and
//     ids, with its own error class — so the clock-free checks of the suite are put to the test too.
// Adding a mutant is one small file that default-exports mutant(name, rule, wrap).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IWorkflowStore } from '../../src/contract/types.js';
import type { StoreTestInitializer } from '../../src/conformance/initializer.js';

/** State a mutant keeps beside the data (it survives a reopen, as the data does). */
export type Kept = <T>(key: string, init: () => T) => T;

export interface Mutant {
  name: string;
  /** The contract rule this mutant breaks. */
  rule: string;
  wrap: (base: IWorkflowStore, kept: Kept) => Partial<IWorkflowStore>;
  /** The level of the rule broken: a SHOULD mutant is caught when the suite shows it amber. */
  level: 'MUST' | 'SHOULD';
}

export function mutant(name: string, rule: string, wrap: Mutant['wrap'], level: Mutant['level'] = 'MUST'): Mutant {
  return { name, rule, wrap, level };
}

export type BaseName = 'memory' | 'third-party';
export const BASES: readonly BaseName[] = ['memory', 'third-party'];

/** A correct store to break: how to make its data, and how to open a store on it. */
interface Base {
  supports: StoreTestInitializer['supports'];
  newData(): unknown;
  open(data: unknown, options: Parameters<StoreTestInitializer['createStore']>[0]): Promise<IWorkflowStore>;
}

async function base(name: BaseName): Promise<Base> {
  if (name === 'memory') {
    const { createMemoryStore, MemoryDatabase } = await import('../../src/backends/memory/index.js');
    return {
      supports: { clock: true, ids: true },
      newData: () => new MemoryDatabase(),
      open: (data, options) => createMemoryStore({ ...options, database: data as InstanceType<typeof MemoryDatabase> }),
    };
  }
  const { createThirdPartyStore, Database } = await import('../third-party/store.js');
  return {
    supports: {},
    newData: () => new Database(),
    open: async (data) => createThirdPartyStore({ database: data as InstanceType<typeof Database> }),
  };
}

/** The mutant as an initializer, built on one of the correct stores. */
export async function onBase(spec: Mutant, baseName: BaseName): Promise<StoreTestInitializer> {
  const b = await base(baseName);
  const made = new Map<IWorkflowStore, { data: unknown; kept: Map<string, unknown>; options: object | undefined }>();
  const open = async (data: unknown, kept: Map<string, unknown>, options: object | undefined) => {
    const store = await b.open(data, options);
    const keep: Kept = <T>(key: string, init: () => T) => {
      if (!kept.has(key)) kept.set(key, init());
      return kept.get(key) as T;
    };
    const broken: IWorkflowStore = { ...bound(store), ...spec.wrap(store, keep) };
    made.set(broken, { data, kept, options });
    return broken;
  };
  return {
    name: `${spec.name}${baseName === 'memory' ? '' : `-on-${baseName}`}`,
    supports: b.supports,
    createStore: (options) => open(b.newData(), new Map(), options),
    async reopenStore(store) {
      const entry = made.get(store)!;
      await store.close();
      made.delete(store);
      return open(entry.data, entry.kept, entry.options);
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
    createWorkflowEvent: (input) => store.createWorkflowEvent(input),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, options),
    getCompletedDagNodeOutputs: (runId) => store.getCompletedDagNodeOutputs(runId),
    close: () => store.close(),
  };
}

/** Lets other work in the process run, as an await on I/O would: where a missing lock shows. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Applies `change` to each run a call returns (one, a list, or null). */
export function eachRun<T>(value: T, change: (run: import('../../src/contract/types.js').WorkflowRun) => void): T {
  const runs = Array.isArray(value) ? value : value === null ? [] : [value];
  for (const run of runs) change(run);
  return value;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

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
      `export default await onBase(mutant('${name}', 'none: fixed', () => ({})), '${baseName}');\n`,
  );
  return target;
}

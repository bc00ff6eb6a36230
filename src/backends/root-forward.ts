// The factories 0.1.0 exported from the root module (`import { createSqliteStore } from 'wfstore'`), kept
// there as forwards to the backends' own entry points (wfstore/<name>): a forward imports its backend only
// when called, so the root module still loads no driver, and warns once per name that the import moved.
// Each backend's forward is in its folder (root-export.ts); src/index.ts re-exports them.

import type { IWorkflowStore } from '../contract/types.js';

/** The code of the DeprecationWarning a forward emits (`node --no-deprecation` silences it). */
export const ROOT_FACTORY_WARNING = 'WFSTORE_ROOT_FACTORY';

const warned = new Set<string>();

/** Warns, once per process and name, that `name` is imported from the root module instead of `entry`. */
export function warnMoved(name: string, entry: string): void {
  if (warned.has(name)) return;
  warned.add(name);
  process.emitWarning(
    `import { ${name} } from 'wfstore' is deprecated and will be removed in 1.0.0: ` +
      `import { ${name} } from '${entry}' instead`,
    { type: 'DeprecationWarning', code: ROOT_FACTORY_WARNING },
  );
}

/** A factory named `name` that warns, imports `entry` through `load` and calls the factory found there. */
export function forwardFactory<F extends (...args: never[]) => Promise<IWorkflowStore>>(
  name: string,
  entry: string,
  load: () => Promise<F>,
): F {
  const forwards = {
    async [name](...args: Parameters<F>): Promise<IWorkflowStore> {
      warnMoved(name, entry);
      return (await load())(...args);
    },
  };
  return forwards[name] as F;
}

// How the commands that move and show runs open the stores their arguments name: by default a store URL
// (src/backends/store-url.ts); with `--store <module>`, also an initializer's own store (src/cli/store-option.ts).

import { openExistingStore, openStore, parseStoreUrl, redactUrl } from '../backends/store-url.js';
import type { IWorkflowStore } from '../contract/types.js';

export interface StoreOpener {
  /** Refuses an argument that names no store, before anything is opened. */
  check(argument: string): void;
  /** The store, only if it is already there: a source to read from. */
  openExisting(argument: string): Promise<IWorkflowStore>;
  /** The store, made if new: a target. */
  open(argument: string): Promise<IWorkflowStore>;
  /** The argument as messages show it (a password hidden). */
  display(argument: string): string;
  /** True when what is written there is gone once this process ends. */
  transient(argument: string): boolean;
}

/** Store URLs: `file:`, `sqlite:`, `postgres://…`, `memory:`, a plain path. */
export const STORE_URLS: StoreOpener = {
  check: (url) => void parseStoreUrl(url),
  openExisting: (url) => openExistingStore(url),
  open: (url) => openStore(url),
  display: (url) => redactUrl(url),
  transient: (url) => !parseStoreUrl(url).backend.supports.permanent,
};

// How the commands that move and show runs open the stores their arguments name: by default a store URL
// (src/backends/store-url.ts); with `--store <module>`, also an initializer's own store (src/cli/store-option.ts).

import { openExistingStore, openStore, parseStoreUrl, redactUrl } from '../backends/store-url.js';
import type { IWorkflowStore } from '../contract/types.js';
import { type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';

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
  /** The contract version the store implements: what a command may ask of it (newest first, paging: 1.2). */
  contract(argument: string): ContractVersion;
}

/** Error codes of a server not reached: refused, no such host, no route, no answer to the connection. */
const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'];

/** The error in `error`'s chain of causes that says a server was not reached. */
function unreached(error: unknown): { code: string; message: string } | undefined {
  for (let at = error, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.includes(code)) return { code, message: at.message || code };
  }
  return undefined;
}

/** Errors that already say what is wrong with the argument itself: shown as they are. */
const ABOUT_THE_ARGUMENT = ['StoreUrlError', 'UsageError', 'InitializerError'];

/**
 * `call` on the store a URL names; a failure names the store (the URL, its password hidden), as every command
 * that opens or checks a store reports it: a server it could not reach says so, with the driver's reason; any
 * other failure (a login refused, a database missing, a file it cannot open) is `<store>: <doing>: <reason>`.
 */
export function reaching<T>(url: string, call: () => Promise<T>, doing?: string): Promise<T> {
  return naming(redactUrl(url), call, doing);
}

/** `call` on the store shown as `display`, a failure named as `reaching` names it. */
export async function naming<T>(display: string, call: () => Promise<T>, doing?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = unreached(error);
    if (reason !== undefined)
      throw new Error(`${display}: the server could not be reached (${reason.message})`, { cause: error });
    if (!(error instanceof Error) || ABOUT_THE_ARGUMENT.includes(error.name) || error.message.includes(display))
      throw error;
    const named = new Error(`${display}: ${doing === undefined ? '' : `${doing}: `}${error.message}`, { cause: error });
    named.name = error.name;
    throw named;
  }
}

/** What a failure while opening was doing. */
export const OPENING = 'could not open the store';

/** Store URLs: `file:`, `sqlite:`, `postgres://…`, `memory:`, a plain path. */
export const STORE_URLS: StoreOpener = {
  check: (url) => void parseStoreUrl(url),
  openExisting: (url) => reaching(url, () => openExistingStore(url), OPENING),
  open: (url) => reaching(url, () => openStore(url), OPENING),
  display: (url) => redactUrl(url),
  transient: (url) => !parseStoreUrl(url).backend.supports.permanent,
  // Every store a URL names is a reference store, of the latest version.
  contract: () => LATEST_CONTRACT,
};

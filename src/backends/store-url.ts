// Store locations as URLs — `file:./artifacts` (or a plain path), `sqlite:./wf.db`,
// `postgres://user@host/db?schema=wf` (or postgresql://), `memory:` — parsed in one place for every
// command, and openStore(url) for code. Each backend's descriptor says which schemes are its own.

import type { IWorkflowStore } from '../contract/types.js';
import type { BackendDescriptor, BackendOptions } from './descriptor.js';
import { BACKENDS } from './registry.js';

/** A store location: which backend, and where its data is. */
export interface StoreUrl {
  backend: BackendDescriptor;
  location: Record<string, string>;
  /** The URL as given, its password (if any) replaced, for messages. */
  display: string;
}

export class StoreUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUrlError';
  }
}

/** The URL with any password replaced by "***": never printed as given. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, '$1***@');
}

/** Every backend's URL form, for help texts and errors. */
export const storeForms = (): string => BACKENDS.map((b) => b.url.form).join(', ');
const forms = storeForms;

export function parseStoreUrl(url: string): StoreUrl {
  const display = redactUrl(url);
  if (typeof url !== 'string' || url.trim() === '') throw new StoreUrlError(`no store location given; use ${forms()}`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  // A Windows drive letter ("C:") is a path, not a scheme.
  const plainPath = scheme === undefined || scheme.length === 1;
  const backend = plainPath
    ? BACKENDS.find((b) => b.url.plainPath === true)!
    : BACKENDS.find((b) => b.url.schemes.includes(scheme));
  if (backend === undefined) {
    throw new StoreUrlError(`"${display}" is not a store location (unknown scheme "${scheme}:"); use ${forms()}`);
  }
  const lookalike = BACKENDS.find((b) => b.url.extensions?.some((e) => url.toLowerCase().endsWith(e)));
  if (plainPath && lookalike !== undefined) {
    throw new StoreUrlError(
      `"${display}" is a plain path, which names a ${backend.label} store (a directory); for a ` +
        `${lookalike.label} database write ${lookalike.url.schemes[0]}:${url} ` +
        `(${backend.url.schemes[0]}:${url} for a directory with that name)`,
    );
  }
  try {
    const location = plainPath ? backend.fromUrl(`${backend.url.schemes[0]}:${url}`) : backend.fromUrl(url);
    return { backend, location: location as Record<string, string>, display };
  } catch (error) {
    throw new StoreUrlError(
      `"${display}" is not a valid ${backend.name} location (${(error as Error).message}); use ${backend.url.form}`,
    );
  }
}

/**
 * Opens the store a URL names, only if it is already there: a source to read from. A mistyped path or
 * schema is refused (StoreUrlError, saying what is missing) instead of opening, and so creating, an empty store.
 */
export async function openExistingStore(url: string, options: BackendOptions = {}): Promise<IWorkflowStore> {
  const { backend, location, display } = parseStoreUrl(url);
  const missing = await backend.missing(location);
  if (missing !== undefined) throw new StoreUrlError(`no store at ${display}: ${missing}`);
  return backend.open(location, options);
}

/** Opens the store a URL names, with the backend's own options (`fsync`, `maxConnections`, …) if given. */
export async function openStore(url: string, options: BackendOptions = {}): Promise<IWorkflowStore> {
  const { backend, location } = parseStoreUrl(url);
  return backend.open(location, options);
}

// What the rest of the package knows about a reference backend, in one object per backend (like a Kysely
// dialect): its name, the driver package it needs, what its stores can do, and how to open the same
// data again (in this process or another). Nothing here loads a driver: `open` imports the backend when
// it is called, so importing the list loads no native module.

import type { CapabilityFlags } from '../contract/capabilities.js';
import type { DeterminismOptions, IWorkflowStore, JsonObject } from '../contract/types.js';
import type { DriverPackage } from './load-driver.js';
import type { Scratch } from './scratch.js';
import type { VerifyOptions, VerifyReport } from './verify.js';

export interface BackendDescriptor<L extends JsonObject = JsonObject> {
  /** Also its entry point: `wfstore/<name>`. */
  readonly name: string;
  /** Its name for people, in reports and messages: "SQLite", "PostgreSQL". */
  readonly label: string;
  /** The npm package its driver is, when it needs one (installed by the user: an optional peer). */
  readonly driver: DriverPackage | undefined;
  /** Other reference backends its conformance column uses too (their drivers are needed, their versions shown). */
  readonly alsoUses: readonly string[];
  /** What its stores can do: the flags a third-party initializer declares in `supports`. */
  readonly supports: CapabilityFlags;
  /** The version of the database engine this process links, for report headers (a server's comes from it). */
  version?: (() => Promise<string>) | undefined;
  /** Where its throwaway stores go (scenarios, tests, bench, demo), and what they need started. */
  scratch(log: (line: string) => void): Scratch<L>;
  /**
   * Opens a store on the data at `location` (JSON, so another process can be told where it is). Opening
   * the same location again is how a store is reopened.
   */
  open(location: L, options?: BackendOptions): Promise<IWorkflowStore>;
  /** Where the data is, for people: a path, or a server and schema (never a password). */
  describe(location: L): string;
  /**
   * The URL schemes that name this backend's stores (`sqlite:`), with the form shown in errors; `plainPath`:
   * a path without a scheme names one of its stores; `extensions`: file names that look like one of its
   * stores (a plain path ending so is refused as ambiguous).
   */
  readonly url: {
    schemes: readonly string[];
    form: string;
    plainPath?: boolean | undefined;
    extensions?: readonly string[] | undefined;
  };
  /** The location a URL of this backend names (the URL's scheme already matched); throws a plain Error. */
  fromUrl(url: string): L;
  /**
   * Why there is no store at `location` yet (a file or directory that does not exist, a schema without the
   * tables), or undefined when there is one. Checked, without creating anything, before a store is read from.
   */
  missing(location: L): Promise<string | undefined>;
  /**
   * Where a new store kept under directory `dir` goes; undefined for a backend whose data lives on a
   * server (PostgreSQL: the harness provisions one).
   */
  locationIn(dir: string): L | undefined;
  /**
   * Checks every run of the store at `location` (checksums, sequences, outputs against the log, derived
   * files); with `repair`, rebuilds what is derived from the log. Undefined where there is nothing to check.
   */
  verify?: ((location: L, options: VerifyOptions) => Promise<VerifyReport>) | undefined;
  /** The factory option that trades durability for speed, when the backend has one (the bench shows both). */
  readonly relaxed: { options: Record<string, unknown>; label: string } | undefined;
}

/** The clock and ids, and any option of the backend's factory (`fsync`, `synchronous`, `maxConnections`, …). */
export type BackendOptions = DeterminismOptions & Record<string, unknown>;

/** A backend's factory, as its entry point exports it. */
type Factory = (options: BackendOptions) => Promise<IWorkflowStore>;

/**
 * A descriptor whose `open` imports the backend's entry point (`load`) only when called, and calls its
 * factory with the options and the location (the location's fields are factory options, or `toOptions`
 * makes them).
 */
export function descriptor<L extends JsonObject>(
  d: Omit<BackendDescriptor<L>, 'open'> & {
    load: () => Promise<Factory>;
    toOptions?: (location: L) => BackendOptions;
  },
): BackendDescriptor<L> {
  const { load, toOptions, ...rest } = d;
  return {
    ...rest,
    async open(location, options = {}) {
      const factory = await load();
      return factory({ ...options, ...(toOptions ? toOptions(location) : location) });
    },
  };
}

/**
 * The path of a `scheme:<path>` URL: `scheme:./dir`, `scheme:/abs`, `scheme:///abs` (file URLs), with
 * percent-escapes decoded in the `scheme://` form only.
 */
export function pathOf(url: string, scheme: string): string {
  const rest = url.slice(scheme.length + 1);
  if (rest.startsWith('//')) return decodeURIComponent(new URL(url).pathname);
  if (rest === '') throw new Error(`"${scheme}:" needs a path after it`);
  return rest;
}

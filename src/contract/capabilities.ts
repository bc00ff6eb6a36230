// What a store can do beyond the interface, declared by whoever offers it rather than guessed: the
// conformance harness runs a scenario only on stores that declare what it needs (docs/contract.md,
// "Validating any backend"). Types only.

import type { IWorkflowStore, JsonValue } from './types.js';

/**
 * How another process opens the same store: the multi-process scenarios call `locate` here, send the
 * location (JSON) to a child process, which imports the same initializer module and calls `open`.
 */
export interface MultiProcessSupport {
  /** Where the store's data is, as JSON another process can use (a path, a URL and schema, ...). */
  locate: (store: IWorkflowStore) => JsonValue;
  /** Opens the store at `location` in this process (called in the child process). */
  open: (location: JsonValue) => Promise<IWorkflowStore>;
}

/** The capabilities of a store, each resolved: what the harness relies on. */
export interface Capabilities {
  /** The store uses the `now` it is given for every timestamp (WF-DET-1). */
  clock: boolean;
  /** The store uses the `generateId` it is given for runs created without an id (WF-DET-1). */
  ids: boolean;
  /** The same data can be opened again after close. */
  reopen: boolean;
  /**
   * A second store can be open on the same data at once, in this process (another connection or handle):
   * a reader on it sees what a writer's commits leave between them (WF-UPD-4).
   */
  alongside: boolean;
  /** Other processes can open the same store. */
  multiProcess: MultiProcessSupport | undefined;
  /** The data outlives the process that wrote it (a memory store's does not). */
  permanent: boolean;
  /** The contract's optional features the store implements (docs/contract.md, "Optional features"). */
  features?: readonly string[] | undefined;
}

/** What an initializer declares in `supports`: any capability left out is not assumed. */
export type StoreCapabilities = { [K in keyof Capabilities]?: Capabilities[K] | undefined };

/** The capabilities other than the features, as plain flags, as a backend states them before any store exists. */
export type CapabilityFlags = { [K in Exclude<keyof Capabilities, 'features'>]: boolean };

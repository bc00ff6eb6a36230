// `--store <module>` on the commands that move and show runs: with it, an argument `store:<location>` names
// the store the initializer module opens at that location (its supports.multiProcess.open, as the
// conformance scenarios' other processes open it); any other argument is a store URL.

import type { IWorkflowStore, JsonValue } from '../contract/types.js';
import { loadInitializer } from '../conformance/load-initializer.js';
import { contractOf } from '../conformance/initializer.js';
import { naming, OPENING, STORE_URLS, type StoreOpener } from '../transfer/opener.js';
import { UsageError } from '../usage-error.js';

const PREFIX = 'store:';

/** The option, for each command that takes stores. */
export const STORE_OPTION = [
  '--store <module>',
  'an initializer module (.ts, .mts, .js, .mjs): a store argument store:<location> is the store its ' +
    'supports.multiProcess.open(location) opens (location: JSON, or text)',
] as const;

/** The store form the help texts add to the URLs. */
export const INITIALIZER_FORM = `${PREFIX}<location> (with --store <module>)`;

/** The location in `store:<location>`: JSON when it parses, else the text itself. */
function locationOf(argument: string): JsonValue {
  const text = argument.slice(PREFIX.length);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** The argument, unless it is a `store:` one given without --store: refused with what it needs. */
function url(argument: string): string {
  if (argument.startsWith(PREFIX)) {
    throw new UsageError(`"${argument}" names the store of an initializer module: give --store <module>`);
  }
  return argument;
}

/** Store URLs, and a `store:` argument refused. */
const urlsOnly: StoreOpener = {
  ...STORE_URLS,
  check: (argument) => STORE_URLS.check(url(argument)),
  openExisting: async (argument) => STORE_URLS.openExisting(url(argument)),
  open: async (argument) => STORE_URLS.open(url(argument)),
};

/** How the command opens its store arguments: URLs, and with `module` the initializer's `store:` ones. */
export async function storeOpener(module: string | undefined): Promise<StoreOpener> {
  if (module === undefined) return urlsOnly;
  const initializer = await loadInitializer(module);
  const support = initializer.supports?.multiProcess;
  if (support === undefined) {
    throw new UsageError(
      `--store ${module}: the initializer "${initializer.name}" declares no supports.multiProcess, whose ` +
        'open(location) these commands use to open its store at a location',
    );
  }
  const own = (argument: string) => argument.startsWith(PREFIX);
  const display = (argument: string) => `${argument} (${initializer.name})`;
  const open = (argument: string): Promise<IWorkflowStore> =>
    own(argument)
      ? naming(display(argument), () => support.open(locationOf(argument)), OPENING)
      : STORE_URLS.open(argument);
  return {
    check: (argument) => (own(argument) ? undefined : STORE_URLS.check(argument)),
    openExisting: (argument) => (own(argument) ? open(argument) : STORE_URLS.openExisting(argument)),
    open,
    display: (argument) => (own(argument) ? display(argument) : STORE_URLS.display(argument)),
    transient: (argument) =>
      own(argument) ? initializer.supports?.permanent !== true : STORE_URLS.transient(argument),
    // What the initializer declares (1.1 when it declares none), as the conformance run judges it.
    contract: (argument) => (own(argument) ? contractOf(initializer).judged : STORE_URLS.contract(argument)),
  };
}

// The differential property: random operation sequences run on every store and on the model, with one
// injected clock and one id sequence (for the stores that take them, WF-DET-1); the first difference
// fails with a shrunk sequence of calls.

import { integerOf, setting } from '../config.js';
import fc from 'fast-check';
import { ManualClock } from '../conformance/support/clock.js';
import {
  type Capabilities,
  capabilitiesOf,
  type StoreTestInitializer,
  storeOptions,
} from '../conformance/initializer.js';
import type { Recommendation } from '../conformance/recommendation.js';
import { commandArbitraries, type ModelState, type Real, type Subject } from './model-commands.js';
import { StoreModel } from './model.js';
import { type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';
import { Observer } from './observer.js';
import { emptyStore, type Keepable, KeptStores, RunSources, residueReport } from './kept-stores.js';

export interface PropertySettings {
  numRuns: number;
  seed?: number | undefined;
  path?: string | undefined;
  /** Longest command sequence. Default 25. */
  maxCommands?: number | undefined;
  /** fc.commands' own replay hint, printed with a failure of the sequence property (with seed and path). */
  replayPath?: string | undefined;
  /** The command a failure report offers to replay it (the seed and path are added). */
  replay?: string | undefined;
  /** The contract version the stores are judged by: only calls it defines are made. Default: the latest. */
  contract?: ContractVersion | undefined;
  /**
   * How long the property may take, in ms: past it, fast-check stops between runs and the property fails,
   * saying so. Default: no limit (a conformance scenario gives it propertyTimeLimit of its runs).
   */
  timeLimitMs?: number | undefined;
}

/** What a caller gives (flags, world parameters, options); each beats its WFSTORE_PROPERTY_* variable. */
export interface GivenPropertySettings {
  runs?: number | undefined;
  seed?: number | undefined;
  path?: string | undefined;
  replayPath?: string | undefined;
  /** The time limit of each property scenario, in ms. */
  timeoutMs?: number | undefined;
}

/** The settings of a property run: what was given, else the environment (src/config.ts), else the defaults. */
export function propertySettings(
  given: GivenPropertySettings,
  defaults: PropertySettings,
  env: NodeJS.ProcessEnv = process.env,
): PropertySettings {
  const text = (s: string) => s;
  return {
    ...defaults,
    numRuns: setting(given.runs, 'WFSTORE_PROPERTY_RUNS', integerOf(1), defaults.numRuns, env),
    seed: setting(given.seed, 'WFSTORE_PROPERTY_SEED', integerOf(-(2 ** 31)), defaults.seed, env),
    path: setting(given.path, 'WFSTORE_PROPERTY_PATH', text, defaults.path, env),
    replayPath: setting(given.replayPath, 'WFSTORE_PROPERTY_REPLAY_PATH', text, defaults.replayPath, env),
    timeLimitMs: setting(given.timeoutMs, 'WFSTORE_PROPERTY_TIMEOUT', integerOf(1), defaults.timeLimitMs, env),
  };
}

/**
 * The time a property scenario may take unless told (--property-timeout): 1 s per run, and at least
 * 2 minutes, so more runs (--property-runs 2000) get the time they need.
 */
export function propertyTimeLimit(runs: number): number {
  return Math.max(120_000, runs * 1_000);
}

/** fast-check's options for the time limit: it stops between runs once past it, and the property fails. */
export function timeLimitOptions(settings: PropertySettings) {
  return settings.timeLimitMs === undefined
    ? {}
    : { interruptAfterTimeLimit: settings.timeLimitMs, markInterruptAsFailure: true };
}

/** What a property stopped by its time limit says: how far it got, and the two ways out. */
export function timedOut(settings: PropertySettings, runsDone?: number): string {
  const done = runsDone === undefined ? `of ${settings.numRuns} runs` : `${runsDone} of ${settings.numRuns} runs done`;
  return (
    `the property did not finish within its time limit of ${settings.timeLimitMs} ms (${done}, none failing). ` +
    'Raise the limit with --property-timeout <ms> ' +
    '(WFSTORE_PROPERTY_TIMEOUT; propertyTimeoutMs in describeConformance; by default 1 s per run, at least ' +
    '2 minutes), or run fewer with --property-runs <n>.'
  );
}

export interface PropertyResult {
  failed: boolean;
  numRuns: number;
  seed: number;
  /** For a failure: what differed, the shrunk calls as TypeScript, and how to replay it. */
  report: string;
  /** Number of calls in the shrunk counterexample. */
  counterexampleLength: number;
  /** SHOULD rules a store did not follow (reported, not failed). */
  recommendations: Recommendation[];
}

/**
 * Runs of the sequence property in a conformance scenario (the concurrency one gets a third): enough to
 * catch each planted bug of test/properties/mutants.slow.test.ts on 20 random seeds out of 20.
 */
export const DEFAULT_PROPERTY_RUNS = 200;

const START = '2026-01-01T00:00:00.000Z';

/** Ids gen-1, gen-2, …, restarted for every run so that all stores and the model agree. */
function idSource() {
  let n = 0;
  return () => `gen-${++n}`;
}

/**
 * A call that hangs ends the property at once: the runs after it (shrinking included) pass without
 * calling anything, so one hanging method costs one call timeout, and the report says which call hung.
 */
export class HangStop {
  hung: Error | undefined;
  note(error: unknown): void {
    if ((error as Error)?.name === 'CallTimeoutError') this.hung ??= error as Error;
  }
}

/** How to run the same failure again: the command the run was given, or the test's environment variables. */
export function replayLine(settings: PropertySettings, seed: number, path?: string, replayPath?: string): string {
  // Without a path, the seed replays every run from the first.
  if (settings.replay) {
    const commands = replayPath ? ` --replay-path '${replayPath}'` : '';
    return `replay: ${settings.replay} --seed ${seed}${path === undefined ? '' : ` --path ${path}`}${commands}`;
  }
  const commands = replayPath ? ` WFSTORE_PROPERTY_REPLAY_PATH='${replayPath}'` : '';
  const seedAndPath = `WFSTORE_PROPERTY_SEED=${seed}${path === undefined ? '' : ` WFSTORE_PROPERTY_PATH=${path}`}`;
  return `replay: ${seedAndPath}${commands} WFSTORE_PROPERTY_RUNS=${settings.numRuns}`;
}

/** fc.commands writes its replay hint after the commands: `/*replayPath="…"*\/`. */
function replayPathOf(commands: unknown): string | undefined {
  const hint = /replayPath=("(?:[^"\\]|\\.)*")/.exec(String(commands))?.[1];
  return hint === undefined ? undefined : (JSON.parse(hint) as string);
}

/** A subject kept from run to run, and the clock and ids its store reads (each run sets its own). */
interface KeptSubject extends Subject {
  sources: RunSources;
}

/**
 * One store per initializer, each reading its own RunSources: the shared clock and a fresh id source for those
 * that take them, set by each run. Kept from a passing run to the next, emptied (kept-stores.ts).
 */
function subjectsOf(
  initializers: readonly StoreTestInitializer[],
  capabilities: readonly Capabilities[],
): Keepable<KeptSubject[]> {
  const destroy = (s: KeptSubject, i: number) => initializers[i]!.destroyStore?.(s.store) ?? s.store.close();
  return {
    async open() {
      const subjects: KeptSubject[] = [];
      for (const [i, initializer] of initializers.entries()) {
        const c = capabilities[i]!;
        const sources = new RunSources();
        const store = await initializer.createStore(storeOptions(c, sources));
        const subject: KeptSubject = {
          name: initializer.name,
          store,
          sources,
          observer: new Observer(c.clock, c.ids),
          async reopen() {
            subject.store = await initializer.reopenStore!(subject.store);
          },
        };
        subjects.push(subject);
      }
      return subjects;
    },
    empty: async (subjects) => (await Promise.all(subjects.map((s) => emptyStore(s.store)))).every(Boolean),
    destroy: async (subjects) => void (await Promise.all(subjects.map((s, i) => destroy(s, i).catch(() => {})))),
  };
}

/** One run of the sequence property: the calls on the model and on each store, from a clock at START. */
async function runSequence(
  subjects: KeptSubject[],
  capabilities: readonly Capabilities[],
  calls: Iterable<fc.AsyncCommand<ModelState, Real>>,
  shared: { contract: ContractVersion; recommendations: Map<string, string> },
): Promise<void> {
  const clock = new ManualClock(START);
  for (const [i, subject] of subjects.entries()) {
    subject.sources.use(clock.now, idSource());
    subject.observer = new Observer(capabilities[i]!.clock, capabilities[i]!.ids);
  }
  const monotonic = capabilities.some((c) => !c.clock || !c.ids);
  const real: Real = { subjects, clock, monotonic, lastEnd: 0, recommendations: shared.recommendations };
  const model = new StoreModel(clock.now, idSource(), shared.contract);
  await fc.asyncModelRun(async () => ({ model: { model } as ModelState, real }), calls);
}

/** The commands that ran, as TypeScript: the failing one last (those after it never ran). */
function callsThatRan(commands: Iterable<unknown>): string[] {
  return [...(commands as Iterable<{ hasRan?: boolean; toString(): string }>)]
    .filter((c) => c.hasRan !== false)
    .map(String);
}

function residueFailure(error: unknown, calls: string[], replay: string) {
  return { report: residueReport(error, calls, replay), length: calls.length };
}

function failureReport<T extends [unknown]>(details: fc.RunDetails<T>, settings: PropertySettings, stop: HangStop) {
  const calls = details.counterexample ? callsThatRan(details.counterexample[0] as Iterable<unknown>) : [];
  const what = stop.hung
    ? `a call hung, so the sequence was not shrunk: ${stop.hung.message}`
    : `shrunk to ${calls.length} call(s) (after ${details.numShrinks} shrinks)`;
  if (details.interrupted && details.counterexample === null)
    return { report: timedOut(settings, details.numRuns), length: 0 };
  const report = [
    (details.errorInstance as Error | undefined)?.message ?? 'the property failed (too many skips)',
    '',
    `${what}, on a store made with { now: clock.now, generateId } (where it takes them):`,
    ...calls.map((c) => `  ${c}`),
    '',
    replayLine(
      settings,
      details.seed,
      details.counterexamplePath ?? undefined,
      replayPathOf(details.counterexample?.[0]),
    ),
  ].join('\n');
  return { report, length: calls.length };
}

export async function checkAgreement(
  initializers: readonly StoreTestInitializer[],
  settings: PropertySettings,
): Promise<PropertyResult> {
  const capabilities = initializers.map(capabilitiesOf);
  const reopen = capabilities.every((c) => c.reopen);
  const contract = settings.contract ?? LATEST_CONTRACT;
  const commands = fc.commands(commandArbitraries({ reopen, contract }), {
    maxCommands: settings.maxCommands ?? 25,
    size: 'large',
    replayPath: settings.replayPath,
  });
  const recommendations = new Map<string, string>();
  const stop = new HangStop();
  const kept = new KeptStores(subjectsOf(initializers, capabilities), stop);
  let keptCalls: Iterable<unknown> = [];
  const property = fc.asyncProperty(commands, async (cmds) => {
    if (stop.hung) return;
    await kept.run(async (subjects, onKept) => {
      const calls = onKept ? fc.cloneIfNeeded(cmds) : cmds;
      if (onKept) keptCalls = calls;
      await runSequence(subjects, capabilities, calls, { contract, recommendations }).catch((error: unknown) => {
        stop.note(error);
        throw error;
      });
    });
  });
  const options = {
    numRuns: settings.numRuns,
    seed: settings.seed,
    path: settings.path,
    endOnFailure: false,
    ...timeLimitOptions(settings),
  };
  const details = await fc.check(property, options).finally(() => kept.end());
  const failure = details.failed
    ? failureReport(details, settings, stop)
    : kept.residue === undefined
      ? undefined
      : residueFailure(kept.residue, callsThatRan(keptCalls), replayLine(settings, details.seed));
  return {
    failed: failure !== undefined,
    numRuns: details.numRuns,
    seed: details.seed,
    report: failure?.report ?? '',
    counterexampleLength: failure?.length ?? 0,
    recommendations: [...recommendations].map(([rule, message]) => ({ rule, message })),
  };
}

// The differential property: random operation sequences run on every store and on the model, with one
// injected clock and one id sequence; the first difference fails with a shrunk sequence of calls.

import fc from 'fast-check';
import type { IWorkflowStore } from '../../contract/types.js';
import { ManualClock } from '../clock.js';
import type { StoreTestInitializer } from '../initializer.js';
import { commandArbitraries, type ModelState, type Real, type Subject } from './commands.js';
import { StoreModel } from './model.js';

export interface PropertySettings {
  numRuns: number;
  seed?: number | undefined;
  path?: string | undefined;
  /** Longest command sequence. Default 25. */
  maxCommands?: number | undefined;
}

/** FC_NUM_RUNS, FC_SEED and FC_PATH, over the given defaults. */
export function settingsFromEnvironment(
  defaults: PropertySettings,
  env: NodeJS.ProcessEnv = process.env,
): PropertySettings {
  return {
    ...defaults,
    numRuns: env.FC_NUM_RUNS ? Number(env.FC_NUM_RUNS) : defaults.numRuns,
    seed: env.FC_SEED ? Number(env.FC_SEED) : defaults.seed,
    path: env.FC_PATH || defaults.path,
  };
}

export interface PropertyResult {
  failed: boolean;
  numRuns: number;
  seed: number;
  /** For a failure: what differed, the shrunk calls as TypeScript, and how to replay it. */
  report: string;
  /** Number of calls in the shrunk counterexample. */
  counterexampleLength: number;
}

const START = '2026-01-01T00:00:00.000Z';

/** Ids gen-1, gen-2, …, restarted for every run so that all stores and the model agree. */
function idSource() {
  let n = 0;
  return { next: () => `gen-${++n}`, reset: () => (n = 0) };
}

export async function checkAgreement(
  initializers: readonly StoreTestInitializer[],
  settings: PropertySettings,
): Promise<PropertyResult> {
  const reopenable = initializers.every((i) => i.reopenStore !== undefined);
  const commands = fc.commands(commandArbitraries({ reopen: reopenable }), {
    maxCommands: settings.maxCommands ?? 25,
    size: 'large',
  });

  const property = fc.asyncProperty(commands, async (cmds) => {
    const clock = new ManualClock(START);
    const ids = new Map<string, ReturnType<typeof idSource>>();
    const subjects: Subject[] = [];
    try {
      for (const initializer of initializers) {
        const source = idSource();
        ids.set(initializer.name, source);
        const store = await initializer.createStore({ now: clock.now, generateId: source.next });
        const subject: Subject = {
          name: initializer.name,
          store,
          async reopen() {
            subject.store = await initializer.reopenStore!(subject.store);
          },
        };
        subjects.push(subject);
      }
      const modelIds = idSource();
      const setup = async () => ({
        model: { model: new StoreModel(clock.now, modelIds.next) } as ModelState,
        real: { subjects, clock } as Real,
      });
      await fc.asyncModelRun(setup, cmds);
    } finally {
      await Promise.all(subjects.map((s, i) => initializers[i]!.destroyStore?.(s.store) ?? s.store.close()));
    }
  });

  const details = await fc.check(property, {
    numRuns: settings.numRuns,
    seed: settings.seed,
    path: settings.path,
    endOnFailure: false,
  });
  if (!details.failed)
    return { failed: false, numRuns: details.numRuns, seed: details.seed, report: '', counterexampleLength: 0 };
  const calls = details.counterexample
    ? [...(details.counterexample[0] as Iterable<{ toString(): string }>)].map(String)
    : [];
  const report = [
    (details.errorInstance as Error | undefined)?.message ??
      `the property failed (${details.interrupted ? 'interrupted' : 'too many skips'})`,
    '',
    `shrunk to ${calls.length} call(s) (after ${details.numShrinks} shrinks), on a store made with { now: clock.now, generateId }:`,
    ...calls.map((c) => `  ${c}`),
    '',
    `replay: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} FC_NUM_RUNS=${settings.numRuns}`,
  ].join('\n');
  return { failed: true, numRuns: details.numRuns, seed: details.seed, report, counterexampleLength: calls.length };
}

export type { IWorkflowStore };

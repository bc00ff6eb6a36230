// Every setting the package reads from the environment, with its meaning, and the one rule for all of
// them: a command-line flag or an option given in code beats the environment, which beats the default.
// Nothing else in src/ reads process.env for a setting (test/layout/settings.test.ts).

import { SERVER_ENVIRONMENT } from './testing/postgres/environment.js';

/** The environment variables wfstore reads, and what each means (printed by `wfstore --help`). */
export const ENVIRONMENT = {
  ...SERVER_ENVIRONMENT,
  WFSTORE_PROPERTY_RUNS: 'runs of each property scenario when no --property-runs (or option) is given; default 200',
  WFSTORE_PROPERTY_SEED: 'the seed of the property scenarios when no --seed is given (to replay a failure)',
  WFSTORE_PROPERTY_PATH: 'the path of a property failure to replay when no --path is given (printed with it)',
  WFSTORE_PROPERTY_REPLAY_PATH: "fast-check's replay hint of a failed sequence when no --replay-path is given",
  WFSTORE_PROPERTY_TIMEOUT:
    'the time limit of each property scenario in ms when no --property-timeout is given; default 1 s per run, ' +
    'at least 2 minutes',
  WFSTORE_SCRATCH_DIR:
    "where the matrix's reference columns put their throwaway stores (default: a RAM-backed folder, " +
    '/dev/shm, when there is one with room, else the temp directory)',
  WFSTORE_WORKERS_DIR:
    "set by the matrix for its child processes: the run's compiled step definitions and workers (not for users)",
  GITHUB_ACTIONS: "'true' on GitHub Actions: the matrix also writes annotations and a job summary",
  GITHUB_STEP_SUMMARY: "the file GitHub Actions shows as the job's summary (set by GitHub)",
} as const;

export type EnvironmentVariable = keyof typeof ENVIRONMENT;

/** A variable's value, undefined when unset or empty. */
export function fromEnvironment(name: EnvironmentVariable, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A setting: what was given (a flag, an option), else the environment's value parsed, else the default. */
export function setting<T>(
  given: T | undefined,
  name: EnvironmentVariable,
  parse: (text: string) => T,
  fallback: T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  if (given !== undefined) return given;
  const text = fromEnvironment(name, env);
  if (text === undefined) return fallback;
  try {
    return parse(text);
  } catch (error) {
    throw new Error(`${name}=${JSON.stringify(text)}: ${(error as Error).message}`);
  }
}

/** A whole number from the environment, or an error saying what was expected. */
export function integerOf(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`must be an integer >= ${min}`);
    return n;
  };
}

/** The help text's list of the variables. */
export function environmentHelp(): string {
  const width = Math.max(...Object.keys(ENVIRONMENT).map((n) => n.length));
  const lines = (meaning: string) => meaning.match(/.{1,72}(\s|$)/g)?.map((l) => l.trim()) ?? [meaning];
  return Object.entries(ENVIRONMENT)
    .map(([name, meaning]) =>
      lines(meaning)
        .map((line, i) => `  ${(i === 0 ? name : '').padEnd(width)}  ${line}`)
        .join('\n'),
    )
    .join('\n');
}

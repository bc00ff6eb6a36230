// A factory's options are checked like a call's input, before anything is opened or created: an unknown
// key (a typo such as `fsynch`) or a value of the wrong kind is a StoreOpenError naming the option, never
// silently accepted or left to fail later. An option given as `undefined` is absent.

import { StoreOpenError } from '../contract/errors.js';
import type { DeterminismOptions } from '../contract/types.js';
import { describe } from '../contract/validation.js';

const DETERMINISM = ['now', 'generateId'] as const;

export interface FactoryOptions<K extends string> {
  /** The factory's own options, each read once. */
  own: Record<K, unknown>;
  /** `now` and `generateId`, functions when given. */
  determinism: DeterminismOptions;
}

/** Reads `options` for `factory`, whose own option names are `names`; refuses a non-object and unknown keys. */
export function readFactoryOptions<K extends string>(
  factory: string,
  options: unknown,
  names: readonly K[],
): FactoryOptions<K> {
  const given = optionsObject(factory, options);
  const known: readonly string[] = [...names, ...DETERMINISM];
  const unknownKeys = Object.keys(given).filter((key) => !known.includes(key));
  if (unknownKeys.length > 0) {
    const list = unknownKeys.map((key) => JSON.stringify(key)).join(', ');
    throw new StoreOpenError(`${factory}: unknown option ${list}; the options are ${known.join(', ')}`);
  }
  const own = Object.fromEntries(names.map((name) => [name, given[name]])) as Record<K, unknown>;
  return { own, determinism: readDeterminismOptions(factory, given) };
}

/** `now` and `generateId` of `options`: each a function when given. */
export function readDeterminismOptions(factory: string, options: unknown): DeterminismOptions {
  const { now, generateId } = optionsObject(factory, options);
  for (const [name, value] of [
    ['now', now],
    ['generateId', generateId],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') throw optionError(factory, name, 'a function', value);
  }
  return { now: now as DeterminismOptions['now'], generateId: generateId as DeterminismOptions['generateId'] };
}

function optionsObject(factory: string, options: unknown): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new StoreOpenError(`${factory}: options must be an object, got ${describe(options)}`);
  }
  return options as Record<string, unknown>;
}

export function optionError(factory: string, name: string, expected: string, value: unknown): StoreOpenError {
  return new StoreOpenError(`${factory}: option ${name} must be ${expected}, got ${describe(value)}`);
}

/** A required path: a non-empty string. */
export function pathOption(factory: string, name: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '')
    throw optionError(factory, name, `a non-empty string (${what})`, value);
  return value;
}

export function booleanOption(factory: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw optionError(factory, name, 'true or false', value);
  return value;
}

export function choiceOption<C extends string>(
  factory: string,
  name: string,
  value: unknown,
  choices: readonly C[],
  fallback: C,
): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(value)) {
    throw optionError(factory, name, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, value);
  }
  return value as C;
}

export function integerOption(
  factory: string,
  name: string,
  value: unknown,
  range: { min: number; max: number; fallback: number },
): number {
  if (value === undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw optionError(factory, name, `an integer from ${range.min} to ${range.max}`, value);
  }
  return value;
}

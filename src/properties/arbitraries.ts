// Values that hunt for the corners where backends differ.

import fc from 'fast-check';
import type { JsonObject, JsonValue, RunStatus } from '../contract/types.js';
import { RUN_STATUSES } from '../contract/types.js';

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

export const jsonString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'a\u0000b',
      '\ud800',
      '\udfff',
      'x\ud83d',
      '\ud83d\ude00',
      'é',
      '日本',
      '"\\',
      '\n\t',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'é'.repeat(n)) },
);

/** Keys JavaScript treats specially: integer-like ones come first, "__proto__" must stay a plain key. */
const key = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'a',
      'b',
      'z',
      '0',
      '1',
      '10',
      '4294967294',
      '4294967295',
      '-1',
      '01',
      '1.5',
      '__proto__',
      'constructor',
      '',
      ' ',
    ),
  },
  { weight: 1, arbitrary: jsonString.filter((s) => s.length < 20) },
);

/** A plain object built with defineProperty, so a "__proto__" key is an own key, not a prototype. */
function objectOf(entries: [string, JsonValue][]): JsonObject {
  const object: JsonObject = {};
  for (const [k, v] of entries)
    Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
  return object;
}

const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 0, 1e308, -1e-308, Number.MAX_SAFE_INTEGER),
);

const { value: jsonValueArb } = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    jsonString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map(objectOf),
  ),
}));

/** Nested 50 to 400 levels deep, within the contract's limit. */
const deep: fc.Arbitrary<JsonValue> = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { d: value };
  return value;
});

export const jsonValue: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 8, arbitrary: jsonValueArb },
  { weight: 1, arbitrary: deep },
);
export const jsonObject: fc.Arbitrary<JsonObject> = fc.array(fc.tuple(key, jsonValue), { maxLength: 5 }).map(objectOf);

/** A small pool so that operations meet the same runs; one id at the 128-character limit. */
export const runId = fc.oneof(
  { weight: 5, arbitrary: fc.constant('r1') },
  { weight: 3, arbitrary: fc.constant('r2') },
  // Ids that sort before r1 and r2 in code-unit order, so the order of creation and of ids differ.
  { weight: 4, arbitrary: fc.constant('R1') },
  { weight: 1, arbitrary: fc.constantFrom('a.b-c_d', 'x'.repeat(128)) },
);
export const invalidId = fc.constantFrom('', '..', '../x', 'a/b', '/abs', '.hidden', 'x'.repeat(129), 'a b');
export const nodeId = fc.constantFrom('fetch', 'parse', 'n.1', 'N-2');
export const status: fc.Arbitrary<RunStatus> = fc.constantFrom(...RUN_STATUSES);
export const eventType = fc.oneof(
  fc.constantFrom('node_completed', 'node_started', 'workflow_started', 'x:y.z-1'),
  fc.constant('node_completed'),
);
export const workflowName = fc.oneof(
  { withCrossShrink: true },
  fc.constantFrom('etl', 'build', 'ünïcode 🎉'),
  fc.constant('w'.repeat(256)),
);
export const userMessage = fc.oneof(
  fc.constantFrom('', 'go', 'é🎉'),
  fc.string({ maxLength: 20 }).filter((s) => s.isWellFormed() && !s.includes('\u0000')),
);

/**
 * Claim tokens and pause ids, from a pool small enough that an expected value often is the stored one; with
 * values equal in another key order (WF-CAS-3), and values that are not: 1 and "1", arrays in another order.
 */
export const token: fc.Arbitrary<JsonValue> = fc.constantFrom<JsonValue>(
  't1',
  't2',
  null,
  1,
  '1',
  { a: 1, b: [1, 2] },
  { b: [1, 2], a: 1 },
  [1, 2],
  [2, 1],
);

/** The metadata keys that hold tokens; "lease" is never set, so expecting it always conflicts. */
export const tokenKey = fc.constantFrom('claim', 'claim', 'pause_id', 'lease');

/** Plain text the contract refuses: NUL, lone surrogates. */
export const badText = fc.constantFrom('a\u0000b', '\u0000', 'x\ud800', '\udc00y');

/** Event types of the wrong length, refused since 1.0 (WF-VAL-8). */
export const badLengthEventType = fc.constantFrom('', 'e'.repeat(129));

/** Event types the contract refuses: the wrong length, or outside the pattern since 1.1 (WF-VAL-12). */
export const invalidEventType = fc.constantFrom('', 'node started', 'a/b', 'nœud', 'x\ny', 'e'.repeat(129), "it's");

/** Values that are not JSON, each of which the contract refuses. */
export const notJson = fc.constantFrom<[string, () => unknown]>(
  ['a Date', () => new Date(0)],
  ['a BigInt', () => 1n],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['undefined', () => undefined],
  [
    'a cycle',
    () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
  ],
  ['a Map', () => new Map()],
);

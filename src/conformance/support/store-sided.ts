// The steps compare what the store returned (an assertion's first argument, by their convention) with what
// the contract expects (its second). Node's own messages ("0 !== 10000", "Expected values to be strictly
// deep-equal:") say neither which side is which nor, in a report's one-line summary, anything at all; the
// message given here says both, node's diff kept under it.

import { AssertionError } from 'node:assert';

/** A value as a message shows it: JSON, cut at 300 characters. */
export function preview(value: unknown): string {
  const text =
    value instanceof Map
      ? `Map ${JSON.stringify([...value])}`
      : value instanceof RegExp
        ? String(value)
        : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const COMPARING = new Set(['strictEqual', 'deepStrictEqual', 'equal', 'deepEqual', 'match']);

/** Node's diff under its first line, when it says more than the values already do ("0 !== 10000" does not). */
function diffOf(error: AssertionError): string {
  const rest = error.message.split('\n').slice(1).join('\n').trim();
  if (error.operator === 'strictEqual' && /^\S.* !== \S.*$/.test(rest)) return '';
  if (error.operator === 'match') return '';
  return rest;
}

/**
 * An assertion error whose message node generated, said from the store's side: "the store returned 0, the
 * contract expects 10000". Any other error (a message a step wrote itself) is returned as it is.
 */
export function storeSided(error: unknown): unknown {
  if (!(error instanceof AssertionError) || !error.generatedMessage || !COMPARING.has(error.operator)) return error;
  const expects = error.operator === 'match' ? `a match of ${String(error.expected)}` : preview(error.expected);
  const head = `the store returned ${preview(error.actual)}, the contract expects ${expects}`;
  const diff = diffOf(error);
  const message = diff === '' ? head : `${head}\n${diff}`;
  const before = error.message;
  error.message = message;
  error.generatedMessage = false;
  if (error.stack?.includes(before)) error.stack = error.stack.replace(before, message);
  return error;
}

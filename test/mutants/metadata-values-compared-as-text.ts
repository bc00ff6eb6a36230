import type { JsonValue } from '../../src/contract/types.js';
import { comparingMetadataBy, mutant } from './mutant.js';

/** A value as SQL's `metadata->>'key'` gives it: a string without its quotes, anything else as JSON. */
const text = (value: JsonValue) => (typeof value === 'string' ? value : JSON.stringify(value));

// Compares values as text, as `metadata->>'key' = $1` would: 1 equals "1", true equals "true".
export default mutant({
  name: 'metadata-values-compared-as-text',
  rule: 'WF-CAS-3',
  breaks: 'expected metadata values are compared as text: the number 1 equals the string "1"',
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => Object.hasOwn(stored, key) && text(stored[key]!) === text(expected),
      'updates',
    ),
});

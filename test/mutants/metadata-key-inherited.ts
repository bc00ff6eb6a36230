import type { JsonValue } from '../../src/contract/types.js';
import { comparingMetadataBy, mutant } from './mutant.js';

/** Equality by enumerable keys, as a hand-written deep equal would: objects without own keys are all equal. */
function looseEqual(a: unknown, b: JsonValue): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => looseEqual((a as Record<string, unknown>)[k], (b as Record<string, JsonValue>)[k]!))
  );
}

// Looks a key up as `key in metadata` and `metadata[key]`: "__proto__" finds Object.prototype, which has no
// enumerable key, so { "__proto__": {} } matches metadata without that key.
export default mutant({
  name: 'metadata-key-inherited',
  rule: 'WF-CAS-3',
  breaks: 'an expected key is looked up with `in`, so "__proto__" finds the prototype of the stored metadata',
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => key in stored && looseEqual(stored[key], expected),
      'updates',
    ),
});

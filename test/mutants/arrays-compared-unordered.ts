import type { JsonValue } from '../../src/contract/types.js';
import { comparingMetadataBy, mutant } from './mutant.js';

/** JSON with the elements of every array sorted: arrays equal as multisets. */
function unordered(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(unordered).sort().join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${unordered(value[k]!)}`).join(',')}}`;
}

// Compares arrays as sets of values, as a containment query would: [1, 2] equals [2, 1].
export default mutant({
  name: 'arrays-compared-unordered',
  rule: 'WF-CAS-3',
  breaks: 'arrays in expected metadata equal the stored ones in any order',
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => Object.hasOwn(stored, key) && unordered(stored[key]!) === unordered(expected),
      'updates',
    ),
});

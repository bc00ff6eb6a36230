import { jsonEqual } from '../../src/contract/decide.js';
import { comparingMetadataBy, mutant } from './mutant.js';

// Reads an expected key as `metadata[key] ?? null`: a key the stored metadata lacks equals null.
export default mutant({
  name: 'absent-key-equals-null',
  rule: 'WF-CAS-3',
  breaks: 'an expected key set to null matches a key the stored metadata lacks',
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => (Object.hasOwn(stored, key) ? jsonEqual(stored[key]!, expected) : expected === null),
      'updates',
    ),
});

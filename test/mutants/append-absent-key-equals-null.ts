import { jsonEqual } from '../../src/contract/decide.js';
import { comparingMetadataBy, mutant } from './mutant.js';

// Fences appends reading an expected key as `metadata[key] ?? null`: a key the run lacks equals null.
export default mutant({
  name: 'append-absent-key-equals-null',
  rule: 'WF-SEQ-4',
  breaks: "a fenced append's expected key set to null matches a key the stored metadata lacks",
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => (Object.hasOwn(stored, key) ? jsonEqual(stored[key]!, expected) : expected === null),
      'appends',
    ),
});

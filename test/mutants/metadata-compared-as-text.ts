import { comparingMetadataBy, mutant } from './mutant.js';

// Compares the JSON text of each expected value with the stored one's: objects with the same keys in another
// order differ.
export default mutant({
  name: 'metadata-compared-as-text',
  rule: 'WF-CAS-3',
  breaks: 'expected metadata is compared as JSON text, so objects with their keys in another order differ',
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => Object.hasOwn(stored, key) && JSON.stringify(stored[key]) === JSON.stringify(expected),
      'updates',
    ),
});

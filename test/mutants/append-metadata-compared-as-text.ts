import { comparingMetadataBy, mutant } from './mutant.js';

// Fences appends comparing JSON text: objects with the same keys in another order differ.
export default mutant({
  name: 'append-metadata-compared-as-text',
  rule: 'WF-SEQ-4',
  breaks: "a fenced append's expected metadata is compared as JSON text, key order included",
  wrap: (store) =>
    comparingMetadataBy(
      store,
      (stored, key, expected) => Object.hasOwn(stored, key) && JSON.stringify(stored[key]) === JSON.stringify(expected),
      'appends',
    ),
});

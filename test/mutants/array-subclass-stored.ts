import { types } from 'node:util';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { copyWith, mutant, ofAnotherRealm } from './mutant.js';

/** An array whose prototype is not Array.prototype, of this realm: an instance of a subclass of Array. */
const ofSubclass = (value: object): boolean =>
  Array.isArray(value) &&
  !types.isProxy(value) &&
  Object.getPrototypeOf(value) !== Array.prototype &&
  !ofAnotherRealm(value);
const plain = <T>(value: T): T => copyWith(value, (d) => d, ofSubclass) as T;

// Judges a JSON array by Array.isArray alone: an instance of a subclass of Array (`class Tags extends Array`)
// in a payload or in metadata is stored as the elements it holds instead of INVALID_INPUT.
export default mutant({
  name: 'array-subclass-stored',
  rule: 'WF-VAL-17',
  breaks: 'an array of a subclass of Array inside JSON is stored as its elements instead of INVALID_INPUT',
  wrap: (store): Partial<IWorkflowStore> => ({
    createWorkflowRun: (input) => store.createWorkflowRun(plain(input)),
    createWorkflowEvent: (input, options) => store.createWorkflowEvent(plain(input), plain(options)),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, plain(patch), plain(options)),
  }),
});

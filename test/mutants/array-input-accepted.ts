import { types } from 'node:util';
import { changingInputObjects, mutant } from './mutant.js';

// Takes an array in place of an input object by its named properties, as Object.keys or Object.entries
// would (`length` is not enumerable): its fields are read instead of INVALID_INPUT.
export default mutant({
  name: 'array-input-accepted',
  rule: 'WF-VAL-17',
  breaks: 'an array in place of an input object is taken as the object of its named properties',
  wrap: (store) =>
    changingInputObjects(store, (value) => {
      if (!Array.isArray(value) || types.isProxy(value) || Object.getPrototypeOf(value) !== Array.prototype) {
        return value;
      }
      const { length: _length, ...named } = Object.getOwnPropertyDescriptors(value);
      return Object.defineProperties({}, named);
    }),
});

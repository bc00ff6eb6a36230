import { types } from 'node:util';
import { changingInputObjects, mutant, ofAnotherRealm } from './mutant.js';

/** An object whose prototype is neither Object.prototype nor null (nor another realm's Object.prototype). */
function unplain(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || types.isProxy(value) || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null && !ofAnotherRealm(value);
}

// Judges an input object by its own properties alone, not its prototype: a class instance, or an object made
// by Object.create(defaults), is taken as a plain object of its own properties instead of INVALID_INPUT.
export default mutant({
  name: 'input-prototype-unchecked',
  rule: 'WF-VAL-17',
  breaks: 'an input object that is a class instance or made by Object.create(defaults) is taken as its own properties',
  wrap: (store) =>
    changingInputObjects(store, (value) =>
      unplain(value) ? Object.defineProperties({}, Object.getOwnPropertyDescriptors(value)) : value,
    ),
});

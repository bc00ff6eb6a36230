import { types } from 'node:util';
import { changingInputObjects, mutant } from './mutant.js';

// Reads an input object's fields as `input.status` would: a field the object lacks but Object.prototype has
// (a polluted prototype) is read as if the caller had given it.
export default mutant({
  name: 'object-prototype-fields-read',
  rule: 'WF-VAL-17',
  breaks: 'a field that Object.prototype holds is read as a field of an input object that lacks it',
  wrap: (store) =>
    changingInputObjects(store, (value, fields) => {
      if (typeof value !== 'object' || value === null || types.isProxy(value)) return value;
      if (Object.getPrototypeOf(value) !== Object.prototype) return value;
      const found = fields.filter((field) => !Object.hasOwn(value, field) && field in value);
      if (found.length === 0) return value;
      const read = Object.fromEntries(found.map((field) => [field, (value as Record<string, unknown>)[field]]));
      return Object.defineProperties({ ...read }, Object.getOwnPropertyDescriptors(value));
    }),
});

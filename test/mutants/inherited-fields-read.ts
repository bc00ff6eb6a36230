import { types } from 'node:util';
import { changingInputObjects, mutant } from './mutant.js';

/** The enumerable data properties `value` inherits, below Object.prototype, by name (the nearest first). */
function inherited(value: object): Map<string, PropertyDescriptor> {
  const found = new Map<string, PropertyDescriptor>();
  for (
    let p: unknown = Object.getPrototypeOf(value);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    if (typeof p !== 'object' || types.isProxy(p)) break;
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (d.enumerable && Object.hasOwn(d, 'value') && !Object.hasOwn(value, key) && !found.has(key)) found.set(key, d);
    }
  }
  return found;
}

// Reads an input object's fields wherever they are, as `input.workflow_name` or a for…in loop would: an object
// made by Object.create(defaults) is taken with the fields it inherits, instead of INVALID_INPUT.
export default mutant({
  name: 'inherited-fields-read',
  rule: 'WF-VAL-17',
  breaks: 'the fields an input object inherits (Object.create(defaults)) are read as its own',
  wrap: (store) =>
    changingInputObjects(store, (value) => {
      if (typeof value !== 'object' || value === null || types.isProxy(value) || Array.isArray(value)) return value;
      const fields = inherited(value);
      if (fields.size === 0) return value;
      return Object.defineProperties({}, { ...Object.fromEntries(fields), ...Object.getOwnPropertyDescriptors(value) });
    }),
});

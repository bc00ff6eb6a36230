import type { IWorkflowStore } from '../../src/contract/types.js';
import { copyWith, mutant, ofAnotherRealm } from './mutant.js';

const plain = <T>(value: T): T => copyWith(value, (d) => d, ofAnotherRealm) as T;

// Takes another realm's Object.prototype and Array.prototype for its own (as a check of
// Object.prototype.toString, or of the constructor's name, would): an object or array made in a `node:vm`
// context, as an input object or inside a JSON value, is stored as a plain one instead of INVALID_INPUT.
export default mutant({
  name: 'other-realm-accepted',
  rule: 'WF-VAL-17',
  breaks: 'an object or array of another realm, as an input object or in JSON, is taken as a plain one',
  wrap: (store): Partial<IWorkflowStore> => ({
    createWorkflowRun: (input) => store.createWorkflowRun(plain(input)),
    createWorkflowEvent: (input, options) => store.createWorkflowEvent(plain(input), plain(options)),
    updateWorkflowRun: (id, patch, options) => store.updateWorkflowRun(id, plain(patch), plain(options)),
    listWorkflowRuns: (options) => store.listWorkflowRuns(plain(options)),
    listWorkflowEvents: (runId, options) => store.listWorkflowEvents(runId, plain(options)),
  }),
});

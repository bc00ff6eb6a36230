import { leftoverMutant } from './mutant.js';

// Deletes the run but not its node outputs: a run created again with the same id returns them.
export default leftoverMutant(
  'deleted-outputs-come-back',
  'a run created again after a delete starts from nothing',
  'outputs',
);

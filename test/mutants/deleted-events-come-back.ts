import { leftoverMutant } from './mutant.js';

// Deletes the run but not its events: a run created again with the same id shows the old ones.
export default leftoverMutant('deleted-events-come-back', "a run's events go with it when it is deleted", 'events');

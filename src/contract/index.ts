// The contract, with no I/O: what every backend implements and every caller may rely on.
export * from './types.js';
export * from './errors.js';
export * from './limits.js';
export * from './transitions.js';
export { applyUpdate, checkUpdate, selectRuns, statusConflict, type UpdatedRun } from './decide.js';
export {
  checkJson,
  isPlainObject,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseListRuns,
  parseUpdateRun,
  serializeJson,
  validateEventType,
  validateId,
  validateStatus,
  validateText,
} from './validation.js';
export type {
  EventRequest,
  CreateEventRequest,
  CreateRunRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from './validation.js';

import type { WorkflowEvent } from '../../src/contract/types.js';
import { mutant } from './mutant.js';

const inSeconds = (e: WorkflowEvent): WorkflowEvent => ({ ...e, timestamp: e.timestamp.replace(/\.\d{3}Z$/, 'Z') });

// Writes an event's timestamp in whole seconds ("…T18:54:26Z"): no milliseconds.
export default mutant({
  name: 'event-timestamp-in-seconds',
  rule: 'WF-VAL-7',
  breaks: "an event's timestamp is written without its milliseconds",
  wrap: (store) => ({
    createWorkflowEvent: async (input, options) => inSeconds(await store.createWorkflowEvent(input, options)),
    listWorkflowEvents: async (runId, options) => (await store.listWorkflowEvents(runId, options)).map(inSeconds),
  }),
});

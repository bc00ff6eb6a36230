// The reference DAG engine. It depends on the contract only; a test keeps it that way.
export {
  WorkflowEngine,
  RunClaimConflictError,
  RunLostError,
  CLAIM_KEY,
  DEFAULT_HEARTBEAT_MS,
  type EngineOptions,
  type RunOutcome,
  type StartOptions,
  type ResumeOptions,
} from './engine.js';
export {
  checkWorkflow,
  WorkflowDefinitionError,
  type NodeDefinition,
  type NodeContext,
  type WorkflowDefinition,
} from './definition.js';

export { formatTimeline } from './timeline.js';

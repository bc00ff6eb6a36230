// wfstore/harness: validate a backend against the contract from your own code or test runner.
export type { StoreTestInitializer } from './initializer.js';
export { isStoreTestInitializer } from './initializer.js';
export { loadInitializer, InitializerError } from './load-initializer.js';
export { runConformance, type ConformanceOptions } from './matrix/conformance.js';
export type { ConformanceSummary, ColumnSummary, RequirementSummary, ScenarioSummary, Cell } from './matrix/summary.js';
export { renderTable, renderFailures } from './matrix/terminal.js';
export {
  filesystemBackend,
  sqliteBackend,
  postgresBackend,
  memoryBackend,
  type ReferenceInitializer,
  type StoreLocation,
} from './reference-backends.js';
export { REFERENCE_BACKENDS, referenceBackend } from './registry.js';
export { provisionPostgres, type ProvisionedPostgres } from './postgres/provision.js';
export { ManualClock, sequentialIds } from './clock.js';

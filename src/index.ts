// wfstore: the IWorkflowStore contract (docs/contract.md) — types, errors, limits, validation — and
// defineStore, for writing a backend. No database driver and no I/O: the reference backends are their
// own entry points (wfstore/filesystem, wfstore/sqlite, wfstore/postgres, wfstore/memory), each needing
// only its own driver package. Their factories are also exported here, deprecated, for 0.1.0's imports:
// forwards to those entry points that load a backend only when called (src/backends/root-forward.ts).
export * from './contract/index.js';
export {
  defineStore,
  eventFromRequest,
  importRun,
  type NewRunRecord,
  runFromRecord,
  type StorageDriver,
} from './backends/define-store.js';
export { openStore, parseStoreUrl, redactUrl, type StoreUrl, StoreUrlError } from './backends/store-url.js';
export * from './backends/filesystem/root-export.js';
export * from './backends/memory/root-export.js';
export * from './backends/postgres/root-export.js';
export * from './backends/sqlite/root-export.js';

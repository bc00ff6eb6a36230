// wfstore: the IWorkflowStore contract (docs/contract.md) — types, errors, limits, validation — and
// defineStore, for writing a backend. No database driver and no I/O: the reference backends are their
// own entry points (wfstore/filesystem, wfstore/sqlite, wfstore/postgres, wfstore/memory), each needing
// only its own driver package.
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

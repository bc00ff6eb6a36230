// wfstore: the IWorkflowStore contract and its reference backends.
export * from './contract/index.js';
export { defineStore, type StorageDriver, type NewRunRecord } from './backends/define-store.js';
export { createFilesystemStore, type FilesystemStoreOptions } from './backends/filesystem/index.js';
export { createSqliteStore, type SqliteStoreOptions } from './backends/sqlite/index.js';
export { createPostgresStore, type PostgresStoreOptions } from './backends/postgres/index.js';
export { createMemoryStore, MemoryDatabase, type MemoryStoreOptions } from './backends/memory/index.js';

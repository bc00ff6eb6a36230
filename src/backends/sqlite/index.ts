import type BetterSqlite3 from 'better-sqlite3';
import Database from './better-sqlite3.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { migrate } from '../sql/schema.js';
import { SqliteDriver } from './driver.js';
import { sqliteSchema } from './schema.js';

export interface SqliteStoreOptions extends DeterminismOptions {
  /** Database file (its directory is created if missing), or ':memory:'. */
  filename: string;
  /**
   * `'full'` (default): each commit is fsynced, so it survives power loss.
   * `'normal'`: WAL without fsync per commit; survives a process kill, may lose the last commits on power loss.
   */
  synchronous?: 'full' | 'normal' | undefined;
  /** How long a write waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number | undefined;
}

export async function createSqliteStore(options: SqliteStoreOptions): Promise<IWorkflowStore> {
  if (typeof options?.filename !== 'string' || options.filename === '') {
    throw new StoreOpenError('createSqliteStore: filename must be a file path or ":memory:"');
  }
  const synchronous = options.synchronous ?? 'full';
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw new StoreOpenError(
      `createSqliteStore: synchronous must be "full" or "normal", got ${JSON.stringify(synchronous)}`,
    );
  }
  let db: BetterSqlite3.Database;
  try {
    if (options.filename !== ':memory:') mkdirSync(path.dirname(path.resolve(options.filename)), { recursive: true });
    db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (error) {
    throw new StoreOpenError(`createSqliteStore: cannot open ${options.filename}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma('foreign_keys = ON');
    await migrate(sqliteSchema(db, options.filename));
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`createSqliteStore: cannot prepare ${options.filename}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return defineStore(new SqliteDriver(db), options);
}

import type BetterSqlite3 from 'better-sqlite3';
import Database from './better-sqlite3.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { migrate } from '../sql/schema.js';
import { choiceOption, integerOption, pathOption, readFactoryOptions } from '../factory-options.js';
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

const FACTORY = 'createSqliteStore';
// SQLite's busy timeout is a C int.
const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

export async function createSqliteStore(options: SqliteStoreOptions): Promise<IWorkflowStore> {
  const { own, determinism } = readFactoryOptions(FACTORY, options, ['filename', 'synchronous', 'busyTimeoutMs']);
  const filename = pathOption(FACTORY, 'filename', own.filename, 'a file path or ":memory:"');
  const synchronous = choiceOption(FACTORY, 'synchronous', own.synchronous, ['full', 'normal'], 'full');
  const busyTimeoutMs = integerOption(FACTORY, 'busyTimeoutMs', own.busyTimeoutMs, {
    min: 0,
    max: MAX_BUSY_TIMEOUT_MS,
    fallback: 5000,
  });
  let db: BetterSqlite3.Database;
  try {
    if (filename !== ':memory:') mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    db = new Database(filename, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new StoreOpenError(`${FACTORY}: cannot open ${filename}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma('foreign_keys = ON');
    await migrate(sqliteSchema(db, `${FACTORY}: ${filename}`));
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`${FACTORY}: cannot prepare ${filename}: ${(error as Error).message}`, { cause: error });
  }
  return defineStore(new SqliteDriver(db), determinism);
}

import type BetterSqlite3 from 'better-sqlite3';
import Database from './better-sqlite3.js';
import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../contract/types.js';
import { defineStore } from '../define-store.js';
import { migrate } from '../sql/schema.js';
import { verifySqlStore } from '../sql/verify.js';
import type { VerifyOptions, VerifyReport } from '../verify.js';
import { choiceOption, integerOption, pathOption, readFactoryOptions } from '../factory-options.js';
import { SqliteDriver } from './driver.js';
import { sqliteSchema } from './schema.js';
import { sqliteAccess } from './verify.js';

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
const VERIFY = 'verifySqliteStore';
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
  const db = await openDatabase(FACTORY, filename, { synchronous, busyTimeoutMs, mustExist: false });
  return defineStore(new SqliteDriver(db), determinism);
}

/**
 * Checks every run of the database (docs/contract.md, WF-DUR-2): each run's rows are sequences 1 to its
 * last_sequence with no gap, each row's checksum holds, and its node outputs are each node's latest completion
 * in the log. With `repair`, a run's outputs are rebuilt from its log when the log is intact; events are never
 * changed. Opening migrates the database forward, as a store would; a missing file is refused.
 */
export async function verifySqliteStore(options: { filename: string }, verify: VerifyOptions): Promise<VerifyReport> {
  const filename = pathOption(VERIFY, 'filename', (options as { filename?: unknown } | undefined)?.filename, 'a path');
  const db = await openDatabase(VERIFY, filename, { synchronous: 'full', busyTimeoutMs: 5000, mustExist: true });
  try {
    return await verifySqlStore(sqliteAccess(db, filename), verify);
  } finally {
    db.close();
  }
}

/** Opens the database as `opener` (its name in errors), sets the connection up and migrates it. */
async function openDatabase(
  opener: string,
  filename: string,
  settings: { synchronous: string; busyTimeoutMs: number; mustExist: boolean },
): Promise<BetterSqlite3.Database> {
  let db: BetterSqlite3.Database;
  try {
    if (filename !== ':memory:' && !settings.mustExist) {
      mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    }
    db = new Database(filename, { timeout: settings.busyTimeoutMs, fileMustExist: settings.mustExist });
  } catch (error) {
    throw new StoreOpenError(`${opener}: cannot open ${filename}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${settings.synchronous.toUpperCase()}`);
    db.pragma('foreign_keys = ON');
    await migrateAlone(db, filename, `${opener}: ${filename}`);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`${opener}: cannot prepare ${filename}: ${(error as Error).message}`, { cause: error });
  }
}

/** The migrations under way in this process, by database file. */
const migrating = new Map<string, Promise<void>>();

/**
 * Migrates one file's database after this process's earlier openers of it: a second opener's BEGIN IMMEDIATE
 * waits for the first's lock inside SQLite (busy_timeout), blocking the thread the first needs to commit.
 * Other processes wait for the lock as usual.
 */
async function migrateAlone(db: BetterSqlite3.Database, filename: string, opened: string): Promise<void> {
  if (filename === ':memory:') return migrate(sqliteSchema(db, opened));
  const key = realpathSync(filename);
  const mine = (migrating.get(key) ?? Promise.resolve()).then(() => migrate(sqliteSchema(db, opened)));
  const settled = mine.catch(() => {});
  migrating.set(key, settled);
  try {
    await mine;
  } finally {
    if (migrating.get(key) === settled) migrating.delete(key);
  }
}

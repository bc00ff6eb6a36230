// The better-sqlite3 driver, loaded once for the backend (see ../load-driver.ts).
import type BetterSqlite3 from 'better-sqlite3';
import { loadDriver } from '../load-driver.js';
import { BETTER_SQLITE3 } from './descriptor.js';

const Database: typeof BetterSqlite3 = (
  await loadDriver<{ default: typeof BetterSqlite3 }>(BETTER_SQLITE3, 'wfstore/sqlite')
).default;
export default Database;

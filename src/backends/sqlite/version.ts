// The SQLite library's version, for report headers, read through the driver loaded on demand (a store
// under test needs no driver installed).

import Database from './better-sqlite3.js';

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

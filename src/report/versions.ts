// Versions of what a run used, for report headers: a database's version only when it was used, read
// through its driver loaded on demand (a store under test needs neither driver installed).

export async function sqliteVersion(): Promise<string> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

// Throwaway schemas on a test server: one per store, so scenarios never see each other's rows; dropped afterwards.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Drops a schema and everything in it, if it exists; the name is quoted, so any name is safe. */
export async function dropSchema(db: Pick<pg.Pool, 'query'>, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS ${pg.Client.prototype.escapeIdentifier(schema)} CASCADE`);
}

/** Names fresh schemas and drops them, on a small connection pool of its own. */
export class ThrowawaySchemas {
  private readonly admin: pg.Pool;

  constructor(readonly connectionString: string) {
    this.admin = new pg.Pool({ connectionString, max: 2 });
    this.admin.on('error', () => {});
  }

  /** A new schema name; the store creates the schema itself when it opens. */
  newName(prefix = 'wfstore_t'): string {
    return `${prefix}_${randomBytes(6).toString('hex')}`;
  }

  async drop(schema: string): Promise<void> {
    await dropSchema(this.admin, schema);
  }

  async end(): Promise<void> {
    await this.admin.end();
  }
}

// An isolated schema per store, so scenarios never see each other's rows; dropped afterwards.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export class SchemaPool {
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
    await this.admin.query(`DROP SCHEMA IF EXISTS ${pg.Client.prototype.escapeIdentifier(schema)} CASCADE`);
  }

  async end(): Promise<void> {
    await this.admin.end();
  }
}

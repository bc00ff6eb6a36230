// Scratch schemas for the reference postgres initializer, reused: a destroyed store's schema is emptied and
// handed to the next store, instead of a schema created, migrated and dropped for every store. Creating and
// dropping take catalog writes and commits that a server with fsync on flushes one by one; emptying is one
// commit of a few deleted rows. Isolation holds: a schema goes back only once its store is closed, with no
// rows left, and only when its tables, columns, constraints, indexes, triggers and wfstore_meta rows are
// exactly those of a freshly migrated schema; any other schema is dropped. Emptying runs while the next store
// works in another schema: two schemas take turns, so a store's clean-up is off the scenarios' path.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropSchema } from './schemas.js';

/** Everything a store could change in its schema besides its rows, the schema's own name left out. */
const SHAPE = `
WITH n AS (SELECT oid FROM pg_namespace WHERE nspname = $1::text)
SELECT md5(string_agg(replace(item, $1::text, '<schema>'), E'\\n' ORDER BY item)) AS shape FROM (
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS item
    FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM n)
  UNION ALL
  SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
      || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attcollation::text
    -- Per table, by pg_attribute's index: a whole scan costs milliseconds once many schemas came and went.
    FROM pg_class c CROSS JOIN LATERAL (
      SELECT * FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped OFFSET 0
    ) a
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = (SELECT oid FROM n)
  UNION ALL
  SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = (SELECT oid FROM n)
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = (SELECT oid FROM n)
  UNION ALL
  SELECT 'trg ' || t.tgname -- a foreign key's own triggers are named by OID, and covered by its constraint
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = (SELECT oid FROM n) AND NOT t.tgisinternal
  UNION ALL
  SELECT 'fn ' || p.proname FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM n)
  UNION ALL
  SELECT 'meta ' || key || '=' || value FROM %META%
) items`;

const TABLES = ['workflow_node_outputs', 'workflow_events', 'workflow_runs'];

export class ReusedSchemas {
  private readonly admin: pg.Pool;
  private readonly free: string[] = [];
  private readonly all = new Set<string>();
  /** Releases still emptying or dropping a schema. */
  private readonly releasing = new Set<Promise<void>>();
  /** The shape of a freshly migrated schema, read from the first one a store opened. */
  private fresh: string | undefined;

  constructor(
    readonly connectionString: string,
    private readonly prefix = 'wfstore_t',
  ) {
    this.admin = new pg.Pool({ connectionString, max: 2 });
    this.admin.on('error', () => {});
  }

  /**
   * A schema for a new store: an emptied one when there is one, else the next one emptied when `spares` schemas
   * are already handed out, else a new name the store creates.
   */
  async take(spares = 2): Promise<string> {
    while (this.free.length === 0 && this.releasing.size > 0 && this.all.size >= spares) {
      await Promise.race(this.releasing);
    }
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const schema = `${this.prefix}_${randomBytes(6).toString('hex')}`;
    this.all.add(schema);
    return schema;
  }

  /**
   * Called once a store has opened its schema: the first one's shape (a new schema, just migrated) is what a
   * schema must have to be reused.
   */
  async opened(schema: string): Promise<void> {
    this.fresh ??= await this.shape(this.admin, schema);
  }

  /**
   * After its store is closed: the schema is emptied for the next store, or dropped when it is not as fresh, in
   * the background (take() and end() wait for it).
   */
  release(schema: string): void {
    const released = this.reuseOrDrop(schema)
      .catch(() => {}) // end() drops whatever is left
      .finally(() => this.releasing.delete(released));
    this.releasing.add(released);
  }

  private async reuseOrDrop(schema: string): Promise<void> {
    if (this.fresh !== undefined && (await this.emptied(schema))) {
      this.free.push(schema);
      return;
    }
    await dropSchema(this.admin, schema);
    this.all.delete(schema);
  }

  /** Waits for the releases under way, drops every schema handed out, and closes the pool. */
  async end(): Promise<void> {
    try {
      await Promise.all(this.releasing);
      for (const schema of this.all) await dropSchema(this.admin, schema);
    } finally {
      this.all.clear();
      this.free.length = 0;
      await this.admin.end();
    }
  }

  private async shape(db: Pick<pg.PoolClient, 'query'>, schema: string): Promise<string | undefined> {
    const meta = `${quote(schema)}.wfstore_meta`;
    const { rows } = await db.query<{ shape: string | null }>(SHAPE.replace('%META%', meta), [schema]);
    return rows[0]?.shape ?? undefined;
  }

  /** Deletes every row in one transaction, committed only when the schema is as fresh; false otherwise. */
  private async emptied(schema: string): Promise<boolean> {
    const client = await this.admin.connect();
    let ok = false;
    try {
      // One round trip. The harness's own clean-up need not wait for its commit to be flushed (the store's
      // commits are unaffected); a server that crashes ends the run anyway.
      const deletes = TABLES.map((table) => `DELETE FROM ${quote(schema)}.${table};`).join(' ');
      await client.query(`BEGIN; SET LOCAL synchronous_commit = off; ${deletes}`);
      ok = (await this.shape(client, schema)) === this.fresh;
      await client.query(ok ? 'COMMIT' : 'ROLLBACK');
      return ok;
    } catch {
      await client.query('ROLLBACK').catch(() => {});
      return false;
    } finally {
      client.release();
    }
  }
}

const quote = (name: string) => pg.Client.prototype.escapeIdentifier(name);

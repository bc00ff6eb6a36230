// The physical limit for each backend: its raw driver writing the same event row, with the same
// durability settings as the store, and nothing else (no validation, no counter, no lock).

import Database from 'better-sqlite3';
import { promises as fs, writeSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dropSchema } from '../src/testing/postgres/schemas.js';

export interface RawWriter {
  append(
    sequence: number,
    line: { run_id: string; event_type: string; timestamp: string; payloadJson: string },
  ): Promise<void>;
  close(): Promise<void>;
}

/** better-sqlite3: one INSERT in its own BEGIN IMMEDIATE transaction, WAL, synchronous as the store's. */
export function rawSqlite(dir: string, synchronous: 'FULL' | 'NORMAL'): RawWriter {
  const db = new Database(path.join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(
    'CREATE TABLE raw_events (run_id TEXT NOT NULL, sequence INTEGER NOT NULL, event_type TEXT NOT NULL, ' +
      'timestamp TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (run_id, sequence))',
  );
  const insert = db.prepare(`INSERT INTO raw_events VALUES (?, ?, ?, ?, ?)`);
  const tx = db.transaction(
    (s: number, l: { run_id: string; event_type: string; timestamp: string; payloadJson: string }) =>
      insert.run(l.run_id, s, l.event_type, l.timestamp, l.payloadJson),
  );
  return {
    append: async (s, l) => void tx.immediate(s, l),
    close: async () => {
      db.close();
    },
  };
}

/** pg: one INSERT in autocommit (a named statement: one round trip), on a pool of `max` connections. */
export async function rawPostgres(connectionString: string, schema: string, max = 4): Promise<RawWriter> {
  const pool = new pg.Pool({ connectionString, max });
  const S = pg.Client.prototype.escapeIdentifier(schema);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
  await pool.query(
    `CREATE TABLE ${S}.raw_events (run_id text NOT NULL, sequence bigint NOT NULL, event_type text NOT NULL, ` +
      'timestamp timestamptz NOT NULL, payload json NOT NULL, PRIMARY KEY (run_id, sequence))',
  );
  const text = `INSERT INTO ${S}.raw_events VALUES ($1, $2, $3, $4, $5::json)`;
  return {
    append: async (s, l) =>
      void (await pool.query({
        name: `raw_${schema}`,
        text,
        values: [l.run_id, s, l.event_type, l.timestamp, l.payloadJson],
      })),
    close: async () => {
      await dropSchema(pool, schema);
      await pool.end();
    },
  };
}

/** fs: the same JSON line appended to an open file (a direct write), fdatasync after each when the store fsyncs. */
export async function rawFile(dir: string, fsync: boolean): Promise<RawWriter> {
  const handle = await fs.open(path.join(dir, 'raw.jsonl'), 'a');
  return {
    append: async (s, l) => {
      writeSync(
        handle.fd,
        `{"run_id":${JSON.stringify(l.run_id)},"sequence":${s},"event_type":${JSON.stringify(l.event_type)},` +
          `"timestamp":${JSON.stringify(l.timestamp)},"payload":${l.payloadJson}}\n`,
      );
      if (fsync) await handle.datasync();
    },
    close: () => handle.close(),
  };
}

// What a reference backend really stores: files with fs, tables through a second connection.
// These scenarios are tagged @backend:<name> and run only on that backend.

import { Then } from '@cucumber/cucumber';
import type Database from 'better-sqlite3';

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FilesystemLocation } from '../src/backends/filesystem/descriptor.js';
import type { PostgresLocation } from '../src/backends/postgres/descriptor.js';
import type { SqliteLocation } from '../src/backends/sqlite/descriptor.js';
import type { StoreWorld } from './support/world.js';

/** Each reference backend's location, as its descriptor opens it. */
interface Locations {
  filesystem: FilesystemLocation;
  sqlite: SqliteLocation;
  postgres: PostgresLocation;
}

function located<K extends keyof Locations>(world: StoreWorld, backend: K): Locations[K] {
  assert.ok(world.suite.locate !== undefined, 'layout steps need a reference backend');
  const location = world.suite.locate(world.store);
  assert.equal(location.backend, backend, `this step checks the ${backend} layout, the store is ${location.backend}`);
  return location as unknown as Locations[K];
}

const runDir = (world: StoreWorld, runId: string) => path.join(located(world, 'filesystem').artifactsDir, runId);
const list = (text: string) => text.split(',').map((s) => s.trim());

// --- filesystem ------------------------------------------------------------------------------------

Then('the directory of run {string} holds {string}', async function (this: StoreWorld, runId: string, file: string) {
  const stat = await fs.stat(path.join(runDir(this, runId), file)).catch(() => null);
  assert.ok(stat?.isFile(), `${path.join(runId, file)} is not a file in ${located(this, 'filesystem').artifactsDir}`);
});

Then(
  'events.jsonl of run {string} has one line per event, each the event as JSON',
  async function (this: StoreWorld, runId: string) {
    const text = await fs.readFile(path.join(runDir(this, runId), 'events.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'), 'newline-delimited: the file ends with a newline');
    const lines = text.slice(0, -1).split('\n');
    // Each line is a JSON object holding the event's fields; the store's own members (its checksum) aside.
    const fields = ['run_id', 'sequence', 'event_type', 'timestamp', 'payload'];
    assert.deepEqual(
      lines.map((line) =>
        Object.fromEntries(Object.entries(JSON.parse(line) as object).filter(([key]) => fields.includes(key))),
      ),
      await this.store.listWorkflowEvents(runId),
    );
  },
);

Then(
  'the node output file {string} of run {string} holds the output:',
  async function (this: StoreWorld, file: string, runId: string, output: string) {
    const stored = JSON.parse(await fs.readFile(path.join(runDir(this, runId), file), 'utf8')) as { output: unknown };
    assert.deepEqual(stored.output, JSON.parse(output));
  },
);

Then(
  'run.json of run {string} holds the run metadata as getWorkflowRun\\(\\) returns it',
  async function (this: StoreWorld, runId: string) {
    const stored = JSON.parse(await fs.readFile(path.join(runDir(this, runId), 'run.json'), 'utf8')) as unknown;
    assert.deepEqual(stored, await this.store.getWorkflowRun(runId));
  },
);

// --- SQLite ----------------------------------------------------------------------------------------

// The drivers are loaded when a layout step runs: a store under test never needs them installed.
async function openSqlite(filename: string): Promise<Database.Database> {
  const { default: Sqlite } = await import('better-sqlite3');
  return new Sqlite(filename, { readonly: true });
}

async function withSqlite<T>(world: StoreWorld, read: (db: Database.Database) => T): Promise<T> {
  const db = await openSqlite(located(world, 'sqlite').filename);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

Then(
  /^the SQLite database has a table "([a-z_]+)" with columns ([a-z_, ]+)$/,
  function (this: StoreWorld, table: string, columns: string) {
    return withSqlite(this, (db) => {
      const found = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      assert.ok(found, `no table ${table}`);
      const actual = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
        (c) => c.name,
      );
      for (const column of list(columns))
        assert.ok(actual.includes(column), `${table} has no column ${column} (it has ${actual.join(', ')})`);
    });
  },
);

Then('the SQLite table {string} holds {int} row(s)', function (this: StoreWorld, table: string, rows: number) {
  assert.ok(/^[a-z_]+$/.test(table));
  return withSqlite(this, (db) =>
    assert.deepEqual(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), { n: rows }),
  );
});

// --- PostgreSQL ------------------------------------------------------------------------------------

Then(
  /^the PostgreSQL schema has the tables ([a-z_, ]+) with the same columns as SQLite$/,
  async function (this: StoreWorld, tables: string) {
    const { connectionString, schema } = located(this, 'postgres');
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString });
    await client.connect();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-cols-'));
    try {
      // A fresh SQLite database, for its columns.
      const { createSqliteStore } = await import('../src/backends/sqlite/index.js');
      await (await createSqliteStore({ filename: path.join(dir, 'x.db') })).close();
      const sqlite = await openSqlite(path.join(dir, 'x.db'));
      try {
        for (const table of list(tables)) {
          const pgColumns = (
            await client.query<{ column_name: string }>(
              'SELECT column_name FROM information_schema.columns ' +
                'WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
              [schema, table],
            )
          ).rows.map((r) => r.column_name);
          const sqliteColumns = (
            sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]
          ).map((c) => c.name);
          assert.ok(pgColumns.length > 0, `no table ${schema}.${table}`);
          assert.deepEqual(pgColumns, sqliteColumns, table);
        }
      } finally {
        sqlite.close();
      }
    } finally {
      await client.end();
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
);

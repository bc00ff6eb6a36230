// What the PostgreSQL backend really stores and sends, checked on the server, not through the store.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import { createSqliteStore } from '../../../src/backends/sqlite/index.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import type { ProvisionedPostgres } from '../../../src/testing/postgres/provision.js';
import type { ThrowawaySchemas } from '../../../src/testing/postgres/schemas.js';
import { rejectsWith } from '../../support/assertions.js';
import { closeTestServer, openTestServer } from '../../support/postgres-server.js';
import Database from 'better-sqlite3';

/** A pool that counts the statements its connections send (each client.query is one exchange). */
function countingPool(connectionString: string): pg.Pool & { sent: string[] } {
  const pool = new pg.Pool({ connectionString, max: 4 }) as pg.Pool & { sent: string[] };
  pool.sent = [];
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as string | { text: string };
      pool.sent.push(typeof config === 'string' ? config : config.text);
      return original(...args);
    };
  });
  return pool;
}

describe('postgres backend on the server', () => {
  let server: ProvisionedPostgres;
  let schemas: ThrowawaySchemas;
  let peek: pg.Pool;
  let schema: string;
  let store: IWorkflowStore;

  before(async () => ({ server, schemas, peek } = await openTestServer()));
  after(async () => closeTestServer({ server, schemas, peek }));
  beforeEach(async () => {
    schema = schemas.newName();
    store = await createPostgresStore({ connectionString: server.connectionString, schema });
  });
  afterEach(async () => {
    await store.close();
    await schemas.drop(schema);
  });

  const columnsOf = async (table: string) =>
    (
      await peek.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns ' +
          'WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, table],
      )
    ).rows.map((r) => r.column_name);

  // The three tables with SQLite's columns are 4-postgres-backend.feature; here, the version table too.
  it('has the version table with the same columns as the SQLite backend, in the configured schema', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-cmp-'));
    const sqliteStore = await createSqliteStore({ filename: path.join(dir, 'x.db') });
    await sqliteStore.close();
    const sqlite = new Database(path.join(dir, 'x.db'), { readonly: true });
    try {
      for (const table of ['wfstore_meta']) {
        const sqliteColumns = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
          (c) => c.name,
        );
        assert.deepEqual(await columnsOf(table), sqliteColumns, table);
      }
    } finally {
      sqlite.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps JSON in json columns (not jsonb) and cascades deletes from runs', async () => {
    const types = await peek.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns ' +
        `WHERE table_schema = $1 AND column_name IN ('metadata', 'payload', 'output')`,
      [schema],
    );
    assert.deepEqual(new Set(types.rows.map((r) => r.data_type)), new Set(['json']));
    const rules = await peek.query<{ table_name: string; delete_rule: string }>(
      'SELECT tc.table_name, rc.delete_rule FROM information_schema.referential_constraints rc ' +
        'JOIN information_schema.table_constraints tc ' +
        'ON tc.constraint_name = rc.constraint_name AND tc.constraint_schema = rc.constraint_schema ' +
        'WHERE rc.constraint_schema = $1 ORDER BY tc.table_name',
      [schema],
    );
    assert.deepEqual(rules.rows, [
      { table_name: 'workflow_events', delete_rule: 'CASCADE' },
      { table_name: 'workflow_node_outputs', delete_rule: 'CASCADE' },
    ]);
  });

  it('stores the JSON text exactly as JSON.stringify gave it: key order, NUL and lone surrogate escapes', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: { z: 'a\u0000', a: '\ud800' } },
    });
    const { rows } = await peek.query(`SELECT payload::text AS p FROM ${schema}.workflow_events`);
    assert.equal(rows[0].p, '{"node_id":"n","output":{"z":"a\\u0000","a":"\\ud800"}}');
  });

  it('records its schema version and refuses a newer one untouched', async () => {
    assert.deepEqual((await peek.query(`SELECT key, value FROM ${schema}.wfstore_meta`)).rows, [
      { key: 'schema_version', value: '3' },
    ]);
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await peek.query(`UPDATE ${schema}.wfstore_meta SET value = '7'`);
    await assert.rejects(
      createPostgresStore({ connectionString: server.connectionString, schema }),
      (error: unknown) => {
        assert.ok(error instanceof StoreOpenError);
        assert.match(error.message, /version 7.*not changed/s);
        return true;
      },
    );
    assert.equal((await peek.query(`SELECT value FROM ${schema}.wfstore_meta`)).rows[0].value, '7');
    assert.equal((await peek.query(`SELECT count(*)::int AS n FROM ${schema}.workflow_runs`)).rows[0].n, 1);
  });

  it('opens a schema already at its version with one statement, and no transaction or lock', async () => {
    const pool = countingPool(server.connectionString);
    try {
      const again = await createPostgresStore({ pool, schema });
      await again.close();
      assert.equal(pool.sent.length, 1, pool.sent.join('\n'));
      assert.match(pool.sent[0]!, /server_encoding[\s\S]*schema_version/);
    } finally {
      await pool.end();
    }
  });

  it('refuses a database whose encoding is not UTF8, naming it', async () => {
    const database = `wfstore_ascii_${process.pid}`;
    await peek.query(`CREATE DATABASE ${database} ENCODING 'SQL_ASCII' TEMPLATE template0`);
    try {
      const url = new URL(server.connectionString);
      url.pathname = `/${database}`;
      await assert.rejects(createPostgresStore({ connectionString: url.href, schema: 'fresh' }), (error: unknown) => {
        assert.ok(error instanceof StoreOpenError);
        assert.match(error.message, /encoding is SQL_ASCII; wfstore needs UTF8/);
        return true;
      });
    } finally {
      await peek.query(`DROP DATABASE ${database}`);
    }
  });

  it('creates the schema when missing; stores in different schemas do not see each other', async () => {
    const other = schemas.newName();
    const second = await createPostgresStore({ connectionString: server.connectionString, schema: other });
    try {
      await store.createWorkflowRun({ id: 'mine', workflow_name: 'w', user_message: '' });
      assert.deepEqual(await second.listWorkflowRuns(), []);
      const found = await peek.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [other]);
      assert.equal(found.rowCount, 1);
    } finally {
      await second.close();
      await schemas.drop(other);
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await assert.rejects(
      createPostgresStore({ connectionString: server.connectionString, schema: 'x; DROP TABLE y' }),
      StoreOpenError,
    );
  });

  it(
    'createWorkflowEvent is one round trip, plain or node_completed; ' + 'a status compare-and-set is one statement',
    async () => {
      const pool = countingPool(server.connectionString);
      const counted = await createPostgresStore({ pool, schema });
      try {
        await counted.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', status: 'failed' });
        await counted.createWorkflowEvent({ run_id: 'r', event_type: 'warm-up' });
        pool.sent.length = 0;
        await counted.createWorkflowEvent({ run_id: 'r', event_type: 'node_started', payload: { node_id: 'n' } });
        assert.equal(pool.sent.length, 1, `plain append sent: ${pool.sent.join(' | ')}`);
        pool.sent.length = 0;
        await counted.createWorkflowEvent({
          run_id: 'r',
          event_type: 'node_completed',
          payload: { node_id: 'n', output: 1 },
        });
        assert.equal(pool.sent.length, 1, 'node_completed append');
        pool.sent.length = 0;
        await counted.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'failed' });
        assert.equal(pool.sent.length, 1, 'compare-and-set resume');
      } finally {
        await counted.close();
        await pool.end();
      }
    },
  );

  it('refuses NUL and lone surrogates in plain text before sending anything', async () => {
    const pool = countingPool(server.connectionString);
    const counted = await createPostgresStore({ pool, schema });
    try {
      pool.sent.length = 0;
      await rejectsWith(
        counted.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: 'a\u0000' }),
        'INVALID_INPUT',
      );
      await rejectsWith(
        counted.createWorkflowRun({ id: 'r', workflow_name: '\udc00', user_message: '' }),
        'INVALID_INPUT',
      );
      assert.deepEqual(pool.sent, []);
    } finally {
      await counted.close();
      await pool.end();
    }
  });

  it('close() ends the pool it made; a pool handed in stays open for its owner', async () => {
    const name = `wfstore-close-${process.pid}`;
    const url = new URL(server.connectionString);
    url.searchParams.set('application_name', name);
    const own = await createPostgresStore({ connectionString: url.toString(), schema });
    await own.listWorkflowRuns();
    const count = async () =>
      (
        await peek.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [
          name,
        ])
      ).rows[0]!.n;
    assert.ok((await count()) >= 1);
    await own.close();
    for (let i = 0; i < 50 && (await count()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await count(), 0, 'no connection left after close()');

    const pool = new pg.Pool({ connectionString: server.connectionString, max: 1 });
    const borrowed = await createPostgresStore({ pool, schema });
    await borrowed.close();
    assert.equal(pool.ended, false);
    assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
    await pool.end();
  });
});

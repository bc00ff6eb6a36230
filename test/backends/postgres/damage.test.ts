// Damage to a PostgreSQL store's rows, done through a second connection: what the calls and `verify` say;
// the migration that gives a version-1 schema its checksums; the checksum sealed in SQL equal to JavaScript's.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { postgres } from '../../../src/backends/postgres/descriptor.js';
import {
  createPostgresStore,
  type PostgresStoreOptions,
  verifyPostgresStore,
} from '../../../src/backends/postgres/index.js';
import { iso } from '../../../src/backends/postgres/queries.js';
import { migrations } from '../../../src/backends/postgres/schema.js';
import { postgresChecksumSql } from '../../../src/backends/postgres/checksum-sql.js';
import { eventChecksum, type StoredEventRow } from '../../../src/backends/sql/checksum.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import type { ProvisionedPostgres } from '../../../src/testing/postgres/provision.js';
import type { ThrowawaySchemas } from '../../../src/testing/postgres/schemas.js';
import { type DamageTarget, describeDamageOnCalls, describeDamageOnVerify, LOG } from '../../support/damage.js';
import { closeTestServer, openTestServer } from '../../support/postgres-server.js';

let server: ProvisionedPostgres;
let schemas: ThrowawaySchemas;
let peek: pg.Pool;
before(async () => ({ server, schemas, peek } = await openTestServer()));
after(async () => closeTestServer({ server, schemas, peek }));

/** Runs `body` on a fresh schema; the stores it opens through `open` are closed, and the schema dropped, after. */
async function inSchema(
  body: (schema: string, open: (options?: Partial<PostgresStoreOptions>) => Promise<IWorkflowStore>) => Promise<void>,
): Promise<void> {
  const schema = schemas.newName();
  const opened: IWorkflowStore[] = [];
  const open = async (options: Partial<PostgresStoreOptions> = {}) => {
    const store = await createPostgresStore({ connectionString: server.connectionString, schema, ...options });
    opened.push(store);
    return store;
  };
  try {
    await body(schema, open);
  } finally {
    for (const store of opened) await store.close();
    await schemas.drop(schema);
  }
}

async function open(): Promise<DamageTarget> {
  const schema = schemas.newName();
  const { connectionString } = server;
  const store = await createPostgresStore({ connectionString, schema });
  return {
    store,
    exec: async (sql) => void (await peek.query(sql)),
    rows: async <R>(sql: string) => (await peek.query(sql)).rows as R[],
    table: (name) => `${schema}.${name}`,
    json: (text) => `'${text.replaceAll("'", "''")}'::json`,
    verify: (repair) => postgres.verify!({ connectionString, schema }, { repair }),
    async close() {
      await store.close();
      await schemas.drop(schema);
    },
  };
}

describeDamageOnCalls('postgres', open);
describeDamageOnVerify('postgres', open);

/** Each event row of the schema as the checksum reads it, with the checksum the server computes for it. */
async function storedRows(schema: string): Promise<(StoredEventRow & { server: string })[]> {
  const { rows } = await peek.query(
    `SELECT run_id, sequence::int AS sequence, event_type, ${iso('e.timestamp')} AS timestamp,
            payload::text AS payload, checksum, ${postgresChecksumSql('e', iso)} AS server
     FROM ${schema}.workflow_events e ORDER BY run_id, sequence`,
  );
  return rows;
}

describe('postgres: checksums', () => {
  it('the checksum sealed by the append statement is the JavaScript one, for any text and year', () =>
    inSchema(async (schema, open) => {
      let year = 1;
      const now = () => new Date(`${String(year).padStart(4, '0')}-02-03T04:05:06.789Z`);
      const store = await open({ now });
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      const texts = ['plain', 'ünïcödé', '😀 astral', 'nul \u0000 in', 'lone \ud800 half', 'quote \' " \\ \n'];
      for (const [i, text] of texts.entries()) {
        year = [1, 999, 1970, 9999][i % 4]!;
        await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n', text } });
      }
      const rows = await storedRows(schema);
      assert.equal(rows.length, texts.length);
      for (const row of rows) {
        assert.equal(row.checksum, eventChecksum(row), `row ${row.sequence}`);
        assert.equal(row.server, row.checksum, `the server's SQL, row ${row.sequence}`);
      }
      assert.deepEqual(
        (await store.listWorkflowEvents('r')).map((e) => e.payload.text),
        texts,
      );
    }));
});

/** Tables as version 1 made them, with runs a and b as version 1 wrote them. */
async function writeVersion1(schema: string): Promise<void> {
  await peek.query(migrations(schema)[0]!);
  await peek.query(`INSERT INTO ${schema}.wfstore_meta (key, value) VALUES ('schema_version', '1')`);
  for (const run of ['a', 'b']) {
    await peek.query(
      `INSERT INTO ${schema}.workflow_runs
         (id, workflow_name, status, user_message, metadata, created_at, updated_at, last_sequence)
       VALUES ($1, 'w', 'running', '', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 5)`,
      [run],
    );
    for (const [i, event] of LOG.entries()) {
      await peek.query(
        `INSERT INTO ${schema}.workflow_events (run_id, sequence, event_type, timestamp, payload)
         VALUES ($1, $2, $3, $4, $5::json)`,
        [run, i + 1, event.event_type, `2026-01-01T00:00:0${i}.000Z`, JSON.stringify(event.payload)],
      );
    }
    await peek.query(
      `INSERT INTO ${schema}.workflow_node_outputs
       VALUES ($1, 'n1', '{"rows":42,"note":"ok"}', 2), ($1, 'n2', '[1,2]', 4)`,
      [run],
    );
  }
}

describe('postgres: schema version 1 migrates forward', () => {
  it('fills every row checksum; the runs read, continue and verify', () =>
    inSchema(async (schema, open) => {
      await writeVersion1(schema);
      const store = await open();
      assert.equal((await peek.query(`SELECT value FROM ${schema}.wfstore_meta`)).rows[0].value, '3');
      const rows = await storedRows(schema);
      assert.equal(rows.length, 10);
      for (const row of rows) assert.equal(row.checksum, eventChecksum(row), `${row.run_id} ${row.sequence}`);
      assert.equal((await store.listWorkflowEvents('a')).length, 5);
      assert.equal((await store.getCompletedDagNodeOutputs('b')).size, 2);
      assert.equal((await store.createWorkflowEvent({ run_id: 'a', event_type: 'next' })).sequence, 6);
      const { connectionString } = server;
      const report = await verifyPostgresStore({ connectionString, schema }, { repair: false });
      assert.deepEqual([report.runs, report.events, report.damage], [2, 11, []]);
    }));
});

describe('verifyPostgresStore', () => {
  it('refuses a schema without wfstore tables, and creates nothing', async () => {
    const schema = schemas.newName();
    await assert.rejects(
      verifyPostgresStore({ connectionString: server.connectionString, schema }, { repair: false }),
      (error: unknown) => error instanceof StoreOpenError && /holds no wfstore tables/.test(error.message),
    );
    const found = await peek.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schema]);
    assert.equal(found.rowCount, 0);
  });
});

// The PostgreSQL backend through PgBouncer in transaction mode, configured as a hosted pooler is (no
// ignore_startup_parameters, no prepared statements kept by the pooler), with one server connection
// (default_pool_size = 1) shared by two stores: whatever one store prepares on it, the other finds there.
// Named statements then fail, deterministically; unnamed ones and `auto` pass. Without a pgbouncer binary the
// tests are skipped with the install line, unless WFSTORE_REQUIRE_PGBOUNCER=1 (CI) makes that a failure.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore, type PostgresStoreOptions } from '../../../src/backends/postgres/index.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { referenceColumn } from '../../../src/conformance/columns.js';
import { runConformance, UsageError } from '../../../src/conformance/run-conformance.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import { LATEST_CONTRACT } from '../../../src/contract/versions.js';
import { parsePostgresVia, withPostgresVia } from '../../../src/testing/postgres/columns.js';
import { findPgBouncer, type PgBouncer, startPgBouncer } from '../../../src/testing/postgres/pgbouncer.js';
import { rejectsWith } from '../../support/assertions.js';
import { closeTestServer, openTestServer, type TestServer } from '../../support/postgres-server.js';

const missing = await findPgBouncer().then(
  () => undefined,
  (error: Error) => error.message,
);
if (missing !== undefined && process.env.WFSTORE_REQUIRE_PGBOUNCER === '1') throw new Error(missing);
const skip = missing ?? false;

describe('--postgres-via and the statements option', () => {
  it('parses ways in order and refuses unknown or repeated ones', () => {
    assert.deepEqual(parsePostgresVia('pgbouncer,direct'), ['pgbouncer', 'direct']);
    assert.throws(() => parsePostgresVia('direct,pgpool'), /"pgpool" is not a way to reach PostgreSQL/);
    assert.throws(() => parsePostgresVia('direct,direct'), /direct is given twice/);
  });

  it('replaces the postgres column by one per way, named postgres and postgres-pgbouncer', () => {
    const capabilities = {
      clock: true,
      ids: true,
      reopen: true,
      alongside: true,
      multiProcess: undefined,
      permanent: true,
    };
    const columns = ['sqlite', 'postgres'].map((n) => referenceColumn(n, capabilities, ['sqlite', 'postgres']));
    const replaced = withPostgresVia(columns, ['direct', 'pgbouncer']);
    assert.deepEqual(
      replaced.map((c) => [c.name, c.serverVia, c.worldParameters]),
      [
        ['sqlite', undefined, { backend: 'sqlite', contract: LATEST_CONTRACT }],
        ['postgres', 'direct', { backend: 'postgres', contract: LATEST_CONTRACT }],
        ['postgres-pgbouncer', 'pgbouncer', { backend: 'postgres', contract: LATEST_CONTRACT }],
      ],
    );
    assert.throws(() => withPostgresVia(columns.slice(0, 1), ['pgbouncer']), /no postgres column/);
  });

  it('without a pgbouncer binary, --postgres-via pgbouncer stops at once with the install line', async () => {
    await assert.rejects(
      runConformance({
        backends: ['postgres'],
        postgresVia: ['direct', 'pgbouncer'],
        env: { ...process.env, WFSTORE_PGBOUNCER: '/nonexistent/pgbouncer' },
        log: () => {},
      }),
      (error: unknown) => error instanceof UsageError && /apt-get install -y pgbouncer/.test(error.message),
    );
  });

  it('statements must be auto, named or unnamed: otherwise StoreOpenError before connecting', async () => {
    await assert.rejects(
      createPostgresStore({
        connectionString: 'postgresql://nobody@127.0.0.1:1/none',
        statements: 'prepared' as never,
      }),
      (error: unknown) =>
        error instanceof StoreOpenError && /statements must be one of "auto", "named", "unnamed"/.test(error.message),
    );
  });
});

/** The [pgbouncer] settings of "Configuring PgBouncer" in docs/backends/postgres.md, without the section line. */
async function documentedSettings(): Promise<string> {
  const doc = await readFile(new URL('../../../docs/backends/postgres.md', import.meta.url), 'utf8');
  const section = doc.split(/^### /m).find((s) => s.startsWith('Configuring PgBouncer\n'));
  const block = section && /```ini\n\[pgbouncer\]\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'docs/backends/postgres.md, "Configuring PgBouncer", has an ini block for [pgbouncer]');
  return block;
}

describe('postgres through PgBouncer (transaction mode, default_pool_size = 1, two stores)', { skip }, () => {
  let db: TestServer;
  let bouncer: PgBouncer;
  const stores: IWorkflowStore[] = [];
  const schemas: string[] = [];

  before(async () => {
    db = await openTestServer();
    bouncer = await startPgBouncer({ upstream: db.server.connectionString, poolSize: 1 });
  });
  after(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    await bouncer?.stop();
    for (const schema of schemas) await db.schemas.drop(schema);
    await closeTestServer(db);
  });

  /** Two stores on one new schema through the pooler, each with its own pool of one connection. */
  async function twoStores(options: Partial<PostgresStoreOptions>): Promise<[IWorkflowStore, IWorkflowStore]> {
    const schema = db.schemas.newName();
    schemas.push(schema);
    const open = () =>
      createPostgresStore({ connectionString: bouncer.connectionString, schema, maxConnections: 1, ...options });
    const a = await open();
    const b = await open();
    stores.push(a, b);
    return [a, b];
  }

  it('opens with the default options: no startup parameter the pooler refuses', async () => {
    const [a] = await twoStores({});
    await a.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    assert.equal((await a.getWorkflowRun('r'))?.id, 'r');
  });

  it(
    'statements: "named" fails: the second store finds the first one\'s statement ' + 'on the server connection',
    async () => {
      const [a, b] = await twoStores({ statements: 'named' });
      await a.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      await a.getWorkflowRun('r'); // prepares the named get_run on the one server connection
      const error = await rejectsWith(b.getWorkflowRun('r'), 'BACKEND_FAILURE');
      assert.match(error.message, /prepared statement "wfstore\d+_[0-9a-f]+_get_run" already exists/);
    },
  );

  /** Both stores taking turns on one run: reads, appends, a CAS, a metadata merge, an update with its event. */
  async function takeTurns(a: IWorkflowStore, b: IWorkflowStore): Promise<void> {
    await a.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    for (const [i, store] of [a, b, a, b].entries()) {
      assert.equal((await store.getWorkflowRun('r'))?.id, 'r');
      assert.equal((await store.createWorkflowEvent({ run_id: 'r', event_type: `e${i}` })).sequence, i + 1);
      await store.updateWorkflowRun('r', { metadata: { [`k${i}`]: i } });
    }
    await b.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'pending' });
    await rejectsWith(
      a.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'pending' }),
      'STATUS_CONFLICT',
    );
    await a.updateWorkflowRun('r', { status: 'completed' }, { event: { event_type: 'done' } });
    const events = await b.listWorkflowEvents('r');
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['e0', 'e1', 'e2', 'e3', 'done'],
    );
    assert.deepEqual((await b.getWorkflowRun('r'))?.metadata, { k0: 0, k1: 1, k2: 2, k3: 3 });
  }

  it('statements: "unnamed" passes the same turns', async () => {
    const [a, b] = await twoStores({ statements: 'unnamed' });
    await takeTurns(a, b);
  });

  it('statements: "auto" (the default) passes: the first name error sends that call again unnamed', async () => {
    const [a, b] = await twoStores({ statements: 'auto' });
    await takeTurns(a, b);
  });

  it('statementTimeoutMs cancels a statement through the pooler; the store goes on', { timeout: 30_000 }, async () => {
    const [a] = await twoStores({ statementTimeoutMs: 500 });
    await a.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    const schema = schemas.at(-1)!;
    const holder = new pg.Client({ connectionString: db.server.connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
      const started = performance.now();
      const error = await rejectsWith(a.createWorkflowEvent({ run_id: 'r', event_type: 'blocked' }), 'BACKEND_FAILURE');
      assert.match(error.message, /the server cancelled the statement at statementTimeoutMs \(500 ms\)/);
      assert.ok(performance.now() - started < 1_400, 'cancelled before the client would give up (1500 ms)');
      await holder.query('ROLLBACK');
      assert.equal((await a.createWorkflowEvent({ run_id: 'r', event_type: 'after' })).sequence, 1);
    } finally {
      await holder.end();
    }
  });

  it('the configuration docs/backends/postgres.md gives loads on this PgBouncer; a store works behind it', async () => {
    const own = await startPgBouncer({ upstream: db.server.connectionString, settings: await documentedSettings() });
    const schema = db.schemas.newName();
    schemas.push(schema);
    try {
      const store = await createPostgresStore({ connectionString: own.connectionString, schema });
      stores.push(store);
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      assert.equal((await store.getWorkflowRun('r'))?.id, 'r');
      await store.close();
    } finally {
      await own.stop();
    }
  });

  it('a pooler gone mid-statement fails that call with BACKEND_FAILURE; the process goes on', {
    timeout: 30_000,
  }, async () => {
    const own = await startPgBouncer({ upstream: db.server.connectionString });
    const schema = db.schemas.newName();
    schemas.push(schema);
    const store = await createPostgresStore({ connectionString: own.connectionString, schema });
    const holder = new pg.Client({ connectionString: db.server.connectionString });
    await holder.connect();
    try {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
      const blocked = rejectsWith(store.createWorkflowEvent({ run_id: 'r', event_type: 'blocked' }), 'BACKEND_FAILURE');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await own.stop(); // its connections end under the waiting statement
      assert.match((await blocked).message, /Connection terminated|ECONNRESET/);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
      await store.close();
      await own.stop();
    }
  });
});

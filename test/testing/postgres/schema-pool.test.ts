// The reference PostgreSQL column's scratch schemas: emptied and reused while fresh, dropped otherwise.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import { ReusedSchemas } from '../../../src/testing/postgres/schema-pool.js';
import { closeTestServer, openTestServer, type TestServer } from '../../support/postgres-server.js';

describe('scratch schemas of the reference PostgreSQL column', () => {
  let test: TestServer;
  let schemas: ReusedSchemas;

  before(async () => {
    test = await openTestServer();
    schemas = new ReusedSchemas(test.server.connectionString, `wfstore_pool_${process.pid}`);
  });
  after(async () => {
    await schemas.end();
    await closeTestServer(test);
  });

  async function storeIn(schema: string) {
    const store = await createPostgresStore({ connectionString: test.server.connectionString, schema });
    await schemas.opened(schema);
    return store;
  }

  const exists = async (schema: string) =>
    (await test.peek.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;

  it('two schemas take turns, each handed back empty once its release is done', async () => {
    const first = await schemas.take();
    const a = await storeIn(first);
    await a.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await a.close();
    schemas.release(first);
    const second = await schemas.take(); // the first is still being emptied: a second schema
    assert.notEqual(second, first);
    const b = await storeIn(second);
    await b.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await b.close();
    schemas.release(second);
    const third = await schemas.take();
    const fourth = await schemas.take();
    assert.deepEqual(new Set([third, fourth]), new Set([first, second])); // both fresh: both reused
    for (const schema of [third, fourth]) {
      const store = await storeIn(schema);
      assert.deepEqual(await store.listWorkflowRuns(), [], `${schema} was handed back with rows`);
      await store.close();
      schemas.release(schema);
    }
  });

  it('a schema whose store changed its tables is dropped, not handed out again', async () => {
    const schema = await schemas.take();
    const store = await storeIn(schema);
    await store.close();
    await test.peek.query(`CREATE INDEX extra ON ${schema}.workflow_runs (status)`);
    schemas.release(schema);
    const handedOut = [await schemas.take(), await schemas.take(), await schemas.take()];
    assert.ok(!handedOut.includes(schema), handedOut.join(', '));
    assert.equal(await exists(schema), false);
  });
});

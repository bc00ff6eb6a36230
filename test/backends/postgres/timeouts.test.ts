// Bounded waits on PostgreSQL: a server that accepts and never answers, one that freezes mid-use (a proxy
// that stops forwarding), a statement stuck behind a lock, and the options that set the bounds.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import { readOptions } from '../../../src/backends/postgres/options.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { provisionPostgres, type ProvisionedPostgres } from '../../../src/testing/postgres/provision.js';
import { ThrowawaySchemas } from '../../../src/testing/postgres/schemas.js';
import { rejectsWith } from '../../support/assertions.js';
import { startFreezableProxy, type FreezableProxy } from '../../support/tcp-proxy.js';

// Small bounds so the tests are quick; SLACK is for a busy machine, not a measure of speed.
const CONNECT_MS = 300;
const STATEMENT_MS = 500;
const GRACE_MS = 1_000;
const SLACK_MS = 2_000;
// Without the bounds these tests would wait forever: let node:test fail them instead.
const HANG = { timeout: 30_000 };

/** Runs a call and says how long it took to settle. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; elapsed: number }> {
  const started = performance.now();
  const value = await call();
  return { value, elapsed: performance.now() - started };
}

describe('postgres options that bound waiting', () => {
  const url = 'postgresql://nobody@127.0.0.1:1/none'; // never reached: the options are refused first

  for (const name of ['connectTimeoutMs', 'statementTimeoutMs', 'maxConnections'] as const) {
    it(`${name} must be a positive integer in range: otherwise StoreOpenError naming it`, async () => {
      for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '100', null]) {
        await assert.rejects(
          createPostgresStore({ connectionString: url, [name]: value as number }),
          (error: unknown) => {
            assert.ok(error instanceof StoreOpenError, `${name}: ${String(value)}`);
            assert.match(error.message, new RegExp(`${name} must be an integer from 1 to`));
            return true;
          },
        );
      }
    });
  }

  it('connectTimeoutMs and maxConnections with a pool handed in are refused: that pool has its own', async () => {
    const pool = new pg.Pool({ connectionString: url });
    try {
      await assert.rejects(createPostgresStore({ pool, connectTimeoutMs: 1000 }), /connectTimeoutMs.*your pool/);
      await assert.rejects(createPostgresStore({ pool, maxConnections: 2 }), /maxConnections.*your pool/);
    } finally {
      await pool.end();
    }
  });

  it('defaults: 10 s to connect, 30 s for a statement on the server, 1 s more on the client', () => {
    assert.deepEqual(readOptions({ connectionString: url }).bounds, {
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 30_000,
      queryTimeoutMs: 31_000,
    });
  });
});

describe('a server that accepts connections and never answers', () => {
  it('fails createPostgresStore with StoreOpenError within connectTimeoutMs', HANG, async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const { elapsed } = await timed(() =>
        assert.rejects(
          createPostgresStore({
            connectionString: `postgresql://x@127.0.0.1:${port}/db`,
            connectTimeoutMs: CONNECT_MS,
          }),
          (error: unknown) => {
            assert.ok(error instanceof StoreOpenError, String(error));
            assert.match(error.message, /did not accept a connection within connectTimeoutMs \(300 ms\)/);
            return true;
          },
        ),
      );
      assert.ok(elapsed < CONNECT_MS + SLACK_MS, `settled after ${elapsed} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('on a PostgreSQL server', () => {
  let server: ProvisionedPostgres;
  let schemas: ThrowawaySchemas;

  before(async () => {
    server = await provisionPostgres({ log: () => {} });
    schemas = new ThrowawaySchemas(server.connectionString);
  });
  after(async () => {
    await schemas.end();
    await server.stop();
  });

  describe('that freezes mid-use', () => {
    let proxy: FreezableProxy;
    let schema: string;
    let store: IWorkflowStore | undefined;

    beforeEach(async () => {
      proxy = await startFreezableProxy(server.connectionString);
      schema = schemas.newName();
    });
    afterEach(async () => {
      proxy.thaw();
      await store?.close();
      store = undefined;
      await proxy.close();
      await schemas.drop(schema);
    });

    const open = async (maxConnections = 4) => {
      store = await createPostgresStore({
        connectionString: proxy.connectionString,
        schema,
        maxConnections,
        connectTimeoutMs: CONNECT_MS,
        statementTimeoutMs: STATEMENT_MS,
      });
      return store;
    };

    it(
      'each call rejects with BACKEND_FAILURE naming the bound it hit, ' +
        'and the same store works once the server answers',
      HANG,
      async () => {
        const store = await open();
        await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
        await store.createWorkflowEvent({ run_id: 'r', event_type: 'before' });

        proxy.freeze();
        const calls: [string, () => Promise<unknown>][] = [
          ['getWorkflowRun', () => store.getWorkflowRun('r')],
          ['createWorkflowEvent', () => store.createWorkflowEvent({ run_id: 'r', event_type: 'during' })],
          ['listWorkflowEvents', () => store.listWorkflowEvents('r')],
          ['updateWorkflowRun', () => store.updateWorkflowRun('r', { status: 'running' })],
          ['listWorkflowRuns', () => store.listWorkflowRuns()],
        ];
        for (const [name, call] of calls) {
          const { value: error, elapsed } = await timed(() => rejectsWith(call(), 'BACKEND_FAILURE'));
          const message = error.message;
          assert.match(message, new RegExp(`^${name}.* failed in the postgres backend: `));
          assert.match(message, /statementTimeoutMs \(500 ms\)|connectTimeoutMs \(300 ms\)/);
          assert.ok(elapsed < CONNECT_MS + STATEMENT_MS + GRACE_MS + SLACK_MS, `${name} settled after ${elapsed} ms`);
        }

        proxy.thaw();
        const next = await store.createWorkflowEvent({ run_id: 'r', event_type: 'after' });
        const events = await store.listWorkflowEvents('r');
        // A timed-out append reached the server once it ran again, or not: its outcome is unknown by design.
        assert.deepEqual(
          events.map((e) => e.event_type).filter((t) => t !== 'during'),
          ['before', 'after'],
        );
        assert.equal(next.sequence, events.length);
      },
    );

    it('a call waiting for a connection while every one is stuck fails within connectTimeoutMs', HANG, async () => {
      const store = await open(1);
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      proxy.freeze();
      const stuck = rejectsWith(store.getWorkflowRun('r'), 'BACKEND_FAILURE');
      const waiting = await timed(() => rejectsWith(store.listWorkflowRuns(), 'BACKEND_FAILURE'));
      assert.match(waiting.value.message, /no free connection in the pool within connectTimeoutMs \(300 ms\)/);
      assert.ok(waiting.elapsed < CONNECT_MS + SLACK_MS, `settled after ${waiting.elapsed} ms`);
      assert.match((await stuck).message, /no answer from the server within statementTimeoutMs/);
    });

    it('close() on a frozen server settles', HANG, async () => {
      const frozen = await open();
      await Promise.all([frozen.listWorkflowRuns(), frozen.listWorkflowRuns()]);
      proxy.freeze();
      store = undefined;
      const started = performance.now();
      await frozen.close();
      assert.ok(performance.now() - started < SLACK_MS);
    });

    it('on a pool handed in, statementTimeoutMs still bounds each statement; the pool stays usable', HANG, async () => {
      const pool = new pg.Pool({ connectionString: proxy.connectionString, max: 2 });
      pool.on('error', () => {});
      try {
        const borrowed = await createPostgresStore({ pool, schema, statementTimeoutMs: STATEMENT_MS });
        await borrowed.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
        proxy.freeze();
        const { value: error, elapsed } = await timed(() =>
          rejectsWith(borrowed.getWorkflowRun('r'), 'BACKEND_FAILURE'),
        );
        assert.match(error.message, /no answer from the server within statementTimeoutMs \(500 ms\)/);
        assert.ok(elapsed < STATEMENT_MS + GRACE_MS + SLACK_MS, `settled after ${elapsed} ms`);
        proxy.thaw();
        assert.equal((await borrowed.getWorkflowRun('r'))?.id, 'r');
        await borrowed.close();
        assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
      } finally {
        await pool.end();
      }
    });
  });

  it(
    'a statement stuck behind a lock is cancelled by the server at statementTimeoutMs: ' +
      'BACKEND_FAILURE, nothing written, the store goes on',
    HANG,
    async () => {
      const schema = schemas.newName();
      const store = await createPostgresStore({
        connectionString: server.connectionString,
        schema,
        statementTimeoutMs: STATEMENT_MS,
      });
      const holder = new pg.Client({ connectionString: server.connectionString });
      await holder.connect();
      try {
        await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM ${schema}.workflow_runs WHERE id = 'r' FOR UPDATE`);
        // Its message tells the server's cancel (at 500 ms) from the client giving up (at 1500 ms).
        const error = await rejectsWith(
          store.createWorkflowEvent({ run_id: 'r', event_type: 'blocked' }),
          'BACKEND_FAILURE',
        );
        assert.match(error.message, /the server cancelled the statement at statementTimeoutMs \(500 ms\)/);
        await holder.query('ROLLBACK');
        const next = await store.createWorkflowEvent({ run_id: 'r', event_type: 'after' });
        assert.equal(next.sequence, 1, 'the cancelled append wrote nothing');
      } finally {
        await holder.end();
        await store.close();
        await schemas.drop(schema);
      }
    },
  );
});

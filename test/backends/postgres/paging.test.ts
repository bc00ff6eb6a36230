// Pages of runs on PostgreSQL (WF-RUN-7): the listing against the contract's selection, each shape of request
// read from its filter's index from the position on, in order (no sort) in the generic plan the server keeps for
// a named statement, the columns' collation, and the migration that gives a version-2 schema the workflow indexes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createPostgresStore } from '../../../src/backends/postgres/index.js';
import { buildQueries } from '../../../src/backends/postgres/queries.js';
import { migrations } from '../../../src/backends/postgres/schema.js';
import { SCHEMA_VERSION } from '../../../src/backends/sql/schema.js';
import type { ListWorkflowRunsOptions } from '../../../src/contract/types.js';
import { parseListRuns } from '../../../src/contract/validation.js';
import {
  createRuns,
  listingsMatchTheContract,
  seeded,
  stutteringClock,
  walksMatchTheContract,
} from '../../support/listing.js';
import { closeTestServer, openTestServer, type TestServer } from '../../support/postgres-server.js';

let test: TestServer;
before(async () => (test = await openTestServer()));
after(async () => closeTestServer(test));

/** Every shape of listing: each filter (and none), a created_at range, with and without a position, both orders. */
const FILTERS: { options: ListWorkflowRunsOptions; index: string }[] = [
  { options: {}, index: 'workflow_runs_by_created' },
  { options: { status: 'failed' }, index: 'workflow_runs_by_status' },
  { options: { workflow_name: 'wf-3' }, index: 'workflow_runs_by_workflow' },
  { options: { workflow_name: 'wf-7', status: 'failed' }, index: 'workflow_runs_by_workflow_status' },
  {
    options: { created_after: '2026-01-01T01:00:00.000Z', created_before: '2026-01-01T02:00:00.000Z' },
    index: 'workflow_runs_by_created',
  },
];
const SHAPES = FILTERS.flatMap(({ options, index }) =>
  (['asc', 'desc'] as const).flatMap((order) =>
    [undefined, { created_at: '2026-01-01T01:30:00.000Z', id: 'run-005400' }].map((position) => ({
      options: { ...options, order, limit: 50, ...(position ? { after: position } : {}) },
      index,
    })),
  ),
);

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The plan the server uses for `text` with these values in a plan_cache_mode (force_generic_plan: a named one's). */
async function planOf(client: pg.PoolClient, text: string, values: unknown[], mode: string): Promise<PlanNode[]> {
  await client.query(`SET plan_cache_mode = ${mode}`);
  await client.query(`PREPARE listing AS ${text}`);
  try {
    const literal = (v: unknown) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : client.escapeLiteral(String(v));
    const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE listing (${values.map(literal).join(', ')})`);
    return nodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
  } finally {
    await client.query('DEALLOCATE listing');
  }
}

describe('postgres: listing runs', () => {
  it('answers as the contract selects, by random requests and by walks page by page', async () => {
    const schema = test.schemas.newName();
    const random = seeded(20);
    const store = await createPostgresStore({
      connectionString: test.server.connectionString,
      schema,
      now: stutteringClock(random),
    });
    try {
      const runs = await createRuns(store, 400, random);
      await listingsMatchTheContract(store, runs, 400, random);
      await walksMatchTheContract(store, runs);
    } finally {
      await store.close();
      await test.schemas.drop(schema);
    }
  });

  it('reads each shape of request from its index in order, the position as where the range starts', async () => {
    const schema = test.schemas.newName();
    await (await createPostgresStore({ connectionString: test.server.connectionString, schema })).close();
    const client = await test.peek.connect();
    try {
      await fillRuns(client, schema, 20_000);
      const q = buildQueries(schema, 30_000);
      for (const mode of ['force_generic_plan', 'force_custom_plan']) {
        for (const { options, index } of SHAPES) {
          const { text, values } = q.listRuns(parseListRuns(options));
          const plan = await planOf(client, text, values!, mode);
          const what = `${JSON.stringify(options)}, ${mode}: ${JSON.stringify(plan)}`;
          // A custom plan may sort the few runs its filter's index range holds (a rare status); never all runs.
          if (mode === 'force_generic_plan') assert.ok(!plan.some((node) => /Sort/.test(node['Node Type'])), what);
          const scan = plan.find((node) => node['Index Name'] !== undefined);
          assert.equal(scan?.['Index Name'], index, what);
          if (options.after) assert.match(scan['Index Cond'] ?? '', /ROW\(.*created_at, id\) [<>] ROW\(/, what);
        }
      }
    } finally {
      client.release(true);
      await test.schemas.drop(schema);
    }
  });

  it('reads as few pages of the index and table for the last page of a filter as for its first', async () => {
    const schema = test.schemas.newName();
    await (await createPostgresStore({ connectionString: test.server.connectionString, schema })).close();
    const client = await test.peek.connect();
    try {
      // 100,000 runs, each status and workflow in long stretches: a scan that starts at the end of its filter
      // instead of at the position reads tens of thousands of index entries before the last page.
      await client.query(`
        INSERT INTO ${schema}.workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
        SELECT md5(i::text), 'wf-' || (i / 10000), CASE WHEN i < 50000 THEN 'failed' ELSE 'running' END, '', '{}',
               timestamptz '2026-01-01Z' + i * interval '1 second', timestamptz '2026-01-01Z'
        FROM generate_series(0, 99999) AS i`);
      await client.query(`VACUUM ANALYZE ${schema}.workflow_runs`);
      const q = buildQueries(schema, 30_000);
      const filters = [
        {},
        { status: 'failed' },
        { workflow_name: 'wf-3' },
        { workflow_name: 'wf-3', status: 'failed' },
      ];
      for (const filter of filters as ListWorkflowRunsOptions[]) {
        for (const order of ['asc', 'desc'] as const) {
          const options = { ...filter, order, limit: 50 };
          const all = await listAll(client, schema, options);
          const last = all.at(-51)!;
          const buffers = async (after?: { created_at: string; id: string }) => {
            const { text, values } = q.listRuns(parseListRuns({ ...options, ...(after ? { after } : {}) }));
            return buffersRead(client, text, values!);
          };
          const [first, end] = [await buffers(), await buffers(last)];
          assert.ok(end <= first + 10 && end <= 40, `${JSON.stringify(options)}: ${first} buffers first, ${end} last`);
        }
      }
    } finally {
      client.release(true);
      await test.schemas.drop(schema);
    }
  });

  it('compares ids by code unit ("C") and timestamps as timestamps, in every listing index', async () => {
    const schema = test.schemas.newName();
    await (await createPostgresStore({ connectionString: test.server.connectionString, schema })).close();
    try {
      const { rows } = await test.peek.query<{ index: string; column: string; type: string; collation: string | null }>(
        `SELECT i.relname AS index, a.attname AS column, format_type(a.atttypid, NULL) AS type, c.collname AS collation
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_attribute a ON a.attrelid = x.indexrelid
         LEFT JOIN pg_collation c ON c.oid = a.attcollation
         WHERE i.relnamespace = $1::regnamespace AND i.relname LIKE 'workflow_runs_by_%'
         ORDER BY i.relname, a.attnum`,
        [schema],
      );
      assert.equal(new Set(rows.map((row) => row.index)).size, 4);
      for (const row of rows.filter((r) => r.column === 'id')) assert.equal(row.collation, 'C', row.index);
      for (const row of rows.filter((r) => r.column === 'created_at'))
        assert.equal(row.type, 'timestamp with time zone');
    } finally {
      await test.schemas.drop(schema);
    }
  });

  it('migrates a version-2 schema to the current version: the workflow indexes are built', async () => {
    const schema = test.schemas.newName();
    const client = await test.peek.connect();
    const indexes = async () =>
      (
        await client.query<{ name: string }>(
          `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'workflow_runs_by_%'
           ORDER BY indexname`,
          [schema],
        )
      ).rows.map((row) => row.name);
    try {
      await client.query(migrations(schema)[0]!);
      await client.query(migrations(schema)[1]!);
      await client.query(`INSERT INTO ${schema}.wfstore_meta (key, value) VALUES ('schema_version', '2')`);
      await fillRuns(client, schema, 1_000);
      assert.deepEqual(await indexes(), ['workflow_runs_by_created', 'workflow_runs_by_status']);
      const store = await createPostgresStore({ connectionString: test.server.connectionString, schema });
      try {
        const version = await client.query(`SELECT value FROM ${schema}.wfstore_meta`);
        assert.equal(version.rows[0].value, String(SCHEMA_VERSION));
        assert.deepEqual(await indexes(), [
          'workflow_runs_by_created',
          'workflow_runs_by_status',
          'workflow_runs_by_workflow',
          'workflow_runs_by_workflow_status',
        ]);
        const page = await store.listWorkflowRuns({ order: 'desc', workflow_name: 'wf-3', limit: 2 });
        assert.deepEqual(
          page.map((run) => run.id),
          ['run-000993', 'run-000983'],
        );
      } finally {
        await store.close();
      }
    } finally {
      client.release(true);
      await test.schemas.drop(schema);
    }
  });
});

/** The positions of every run a listing would give, in its order (read directly, for the test's positions). */
async function listAll(client: pg.PoolClient, schema: string, options: ListWorkflowRunsOptions) {
  const direction = options.order === 'desc' ? 'DESC' : 'ASC';
  const { rows } = await client.query<{ created_at: string; id: string }>(
    `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, id
     FROM ${schema}.workflow_runs WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR workflow_name = $2)
     ORDER BY created_at ${direction}, id ${direction}`,
    [options.status ?? null, options.workflow_name ?? null],
  );
  return rows;
}

/** The buffers (index and table pages) the generic plan of `text` reads for these values. */
async function buffersRead(client: pg.PoolClient, text: string, values: unknown[]): Promise<number> {
  await client.query('SET plan_cache_mode = force_generic_plan');
  await client.query(`PREPARE page AS ${text}`);
  try {
    const literal = (v: unknown) =>
      v === null ? 'NULL' : typeof v === 'number' ? String(v) : client.escapeLiteral(String(v));
    const { rows } = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE page (${values.map(literal).join(', ')})`,
    );
    const plan = (rows[0]['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan;
    return plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
  } finally {
    await client.query('DEALLOCATE page');
  }
}

/**
 * `count` runs in one statement, two a second from 2026-01-01, over 6 statuses (`failed` one run in a hundred)
 * and 10 workflows; the statistics brought up to date.
 */
async function fillRuns(client: pg.PoolClient, schema: string, count: number): Promise<void> {
  await client.query(`
    INSERT INTO ${schema}.workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
    SELECT 'run-' || lpad(i::text, 6, '0'), 'wf-' || (i % 10),
           CASE WHEN i % 100 = 7 THEN 'failed'
                ELSE (ARRAY['pending', 'running', 'completed', 'paused', 'cancelled'])[i % 5 + 1] END,
           '', '{}', timestamptz '2026-01-01Z' + (i / 2) * interval '1 second', timestamptz '2026-01-01Z'
    FROM generate_series(1, ${count}) AS i`);
  await client.query(`ANALYZE ${schema}.workflow_runs`);
}

// Pages of runs on SQLite (WF-RUN-7): the listing against the contract's selection, each shape of request
// read from its index in order (no sort of the runs), the columns' collation, and the migration that gives a
// version-2 database the workflow indexes.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSqliteStore } from '../../../src/backends/sqlite/index.js';
import { listRunsSql } from '../../../src/backends/sqlite/queries.js';
import { MIGRATIONS } from '../../../src/backends/sqlite/schema.js';
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

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-paging-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));
const newFile = () => path.join(root, `case-${++n}.db`);

/** Every shape of listing: each filter (and none), a created_at range, with and without a position, both orders. */
const FILTERS: { options: ListWorkflowRunsOptions; index: string }[] = [
  { options: {}, index: 'workflow_runs_by_created' },
  { options: { status: 'running' }, index: 'workflow_runs_by_status' },
  { options: { workflow_name: 'wf-3' }, index: 'workflow_runs_by_workflow' },
  { options: { workflow_name: 'wf-3', status: 'running' }, index: 'workflow_runs_by_workflow_status' },
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

describe('sqlite: listing runs', () => {
  it('answers as the contract selects, by random requests and by walks page by page', async () => {
    const random = seeded(20);
    const store = await createSqliteStore({ filename: newFile(), now: stutteringClock(random) });
    try {
      const runs = await createRuns(store, 400, random);
      await listingsMatchTheContract(store, runs, 400, random);
      await walksMatchTheContract(store, runs);
    } finally {
      await store.close();
    }
  });

  it('reads each shape of request from its index in order, the position as where the range starts', async () => {
    const filename = newFile();
    await (await createSqliteStore({ filename })).close();
    const db = new Database(filename);
    try {
      fillRuns(db, 20_000);
      for (const analyzed of [false, true]) {
        if (analyzed) db.exec('ANALYZE');
        for (const { options, index } of SHAPES) {
          const { text, parameters } = listRunsSql(parseListRuns(options));
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(parameters) as { detail: string }[])
            .map((row) => row.detail)
            .join('; ');
          const what = `${JSON.stringify(options)}${analyzed ? ' after ANALYZE' : ''}: ${plan}`;
          assert.match(plan, new RegExp(`^(SCAN|SEARCH) r USING INDEX ${index}\\b`), what);
          assert.doesNotMatch(plan, /TEMP B-TREE/, what);
          if (options.after) assert.match(plan, /\(created_at,id\)[<>]\(\?,\?\)/, what);
        }
      }
    } finally {
      db.close();
    }
  });

  it('compares ids and timestamps by code unit: BINARY collation on every index column', async () => {
    const filename = newFile();
    await (await createSqliteStore({ filename })).close();
    const db = new Database(filename, { readonly: true });
    try {
      const indexes = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'workflow_runs_by_%'`)
        .pluck()
        .all() as string[];
      assert.equal(indexes.length, 4);
      for (const index of indexes) {
        const columns = db.prepare(`PRAGMA index_xinfo(${index})`).all() as { name: string | null; coll: string }[];
        for (const column of columns.filter((c) => c.name !== null)) assert.equal(column.coll, 'BINARY', index);
      }
    } finally {
      db.close();
    }
  });

  it('migrates a version-2 database to the current version: the workflow indexes are built', async () => {
    const filename = newFile();
    const v2 = new Database(filename);
    v2.function('wfstore_checksum', { varargs: true }, () => ''); // version 2's step; no events here
    v2.exec(MIGRATIONS[0]);
    v2.exec(MIGRATIONS[1]);
    v2.exec(`INSERT INTO wfstore_meta (key, value) VALUES ('schema_version', '2')`);
    fillRuns(v2, 1_000);
    const indexes = () =>
      v2
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'workflow_runs_by_%' ORDER BY name`)
        .pluck()
        .all();
    assert.deepEqual(indexes(), ['workflow_runs_by_created', 'workflow_runs_by_status']);
    const store = await createSqliteStore({ filename });
    try {
      assert.equal(v2.prepare(`SELECT value FROM wfstore_meta`).pluck().get(), String(SCHEMA_VERSION));
      assert.deepEqual(indexes(), [
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
      v2.close();
      await store.close();
    }
  });
});

/** `count` runs in one statement, two a second from 2026-01-01, over 6 statuses and 10 workflows. */
function fillRuns(db: Database.Database, count: number): void {
  db.exec(`
    WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
    SELECT printf('run-%06d', i), 'wf-' || (i % 10),
           (CASE i % 6 WHEN 0 THEN 'pending' WHEN 1 THEN 'running' WHEN 2 THEN 'completed' WHEN 3 THEN 'failed'
                       WHEN 4 THEN 'paused' ELSE 'cancelled' END),
           '', '{}', strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i / 2) || ' seconds'),
           '2026-01-01T00:00:00.000Z'
    FROM n`);
}

// Damage to a SQLite store's rows, done through a second connection: what the calls and `verify` say, and
// the migration that gives a version-1 database its checksums and last_sequence.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sqlite } from '../../../src/backends/sqlite/descriptor.js';
import { createSqliteStore, verifySqliteStore } from '../../../src/backends/sqlite/index.js';
import { MIGRATIONS } from '../../../src/backends/sqlite/schema.js';
import { eventChecksum, type StoredEventRow } from '../../../src/backends/sql/checksum.js';
import { StoreOpenError } from '../../../src/contract/errors.js';
import { type DamageTarget, describeDamageOnCalls, describeDamageOnVerify, LOG } from '../../support/damage.js';

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-sqlite-damage-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

async function open(): Promise<DamageTarget> {
  const filename = path.join(root, `case-${++n}.db`);
  const store = await createSqliteStore({ filename });
  const peek = new Database(filename);
  return {
    store,
    exec: async (sql) => void peek.exec(sql),
    rows: async <R>(sql: string) => peek.prepare(sql).all() as R[],
    table: (name) => name,
    json: (text) => `'${text.replaceAll("'", "''")}'`,
    verify: (repair) => sqlite.verify!({ filename }, { repair }),
    async close() {
      peek.close();
      await store.close();
    },
  };
}

describeDamageOnCalls('sqlite', open);
describeDamageOnVerify('sqlite', open);

describe('sqlite: schema version 1 migrates forward', () => {
  it('fills every row checksum and each run last_sequence; the runs read, continue and verify', async () => {
    const filename = path.join(root, 'v1.db');
    const v1 = new Database(filename);
    v1.exec(MIGRATIONS[0]);
    v1.exec(`INSERT INTO wfstore_meta (key, value) VALUES ('schema_version', '1')`);
    const insertRun = v1.prepare(
      `INSERT INTO workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
       VALUES (?, 'w', 'running', '', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    const insertEvent = v1.prepare(
      `INSERT INTO workflow_events (run_id, sequence, event_type, timestamp, payload) VALUES (?, ?, ?, ?, ?)`,
    );
    // As version 1 wrote them: last_sequence left at 0, the output beside its event.
    for (const run of ['a', 'b']) {
      insertRun.run(run);
      for (const [i, event] of LOG.entries()) {
        insertEvent.run(run, i + 1, event.event_type, `2026-01-01T00:00:0${i}.000Z`, JSON.stringify(event.payload));
      }
      v1.exec(`INSERT INTO workflow_node_outputs VALUES ('${run}', 'n1', '{"rows":42,"note":"ok"}', 2),
                                                     ('${run}', 'n2', '[1,2]', 4)`);
    }
    v1.exec(`INSERT INTO workflow_runs (id, workflow_name, status, user_message, metadata, created_at, updated_at)
             VALUES ('empty', 'w', 'pending', '', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);

    const store = await createSqliteStore({ filename });
    try {
      assert.deepEqual(v1.prepare(`SELECT value FROM wfstore_meta`).get(), { value: '3' });
      const rows = v1.prepare(`SELECT * FROM workflow_events ORDER BY run_id, sequence`).all() as StoredEventRow[];
      assert.equal(rows.length, 10);
      for (const row of rows) assert.equal(row.checksum, eventChecksum(row), `${row.run_id} ${row.sequence}`);
      assert.deepEqual(v1.prepare(`SELECT id, last_sequence FROM workflow_runs ORDER BY id`).all(), [
        { id: 'a', last_sequence: 5 },
        { id: 'b', last_sequence: 5 },
        { id: 'empty', last_sequence: 0 },
      ]);
      assert.equal((await store.listWorkflowEvents('a')).length, 5);
      assert.equal((await store.getCompletedDagNodeOutputs('b')).size, 2);
      assert.equal((await store.createWorkflowEvent({ run_id: 'a', event_type: 'next' })).sequence, 6);
      assert.equal((await store.createWorkflowEvent({ run_id: 'empty', event_type: 'first' })).sequence, 1);
      const report = await verifySqliteStore({ filename }, { repair: false });
      assert.deepEqual([report.runs, report.events, report.damage], [3, 12, []]);
    } finally {
      v1.close();
      await store.close();
    }
  });
});

describe('verifySqliteStore', () => {
  it('refuses a file that does not exist, and creates none', async () => {
    const filename = path.join(root, 'none', 'missing.db');
    await assert.rejects(verifySqliteStore({ filename }, { repair: false }), StoreOpenError);
    await assert.rejects(fs.stat(path.dirname(filename)), { code: 'ENOENT' });
  });
});

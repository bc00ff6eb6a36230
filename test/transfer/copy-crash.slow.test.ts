// `wfstore copy` killed with SIGKILL at random moments (SQLite → PostgreSQL), then run again: the target then
// equals the source, nothing duplicated or missing. Each run is one commit in the target, so a kill leaves
// whole runs or none; the rerun skips those that read back identical and copies the rest.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/backends/store-url.js';
import type { IWorkflowStore } from '../../src/contract/types.js';
import { closeTestServer, openTestServer, type TestServer } from '../support/postgres-server.js';

const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));
const TRIALS = Number(process.env.WFSTORE_CRASH_TRIALS ?? 20);
const RUNS = 300;
const EVENTS = 40;

const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-copy-crash-'));
const sourceUrl = `sqlite:${path.join(scratch, 'source.db')}`;
let db: TestServer;

before(async () => {
  db = await openTestServer();
  const source = await openStore(sourceUrl);
  for (let r = 0; r < RUNS; r++) {
    const { id } = await source.createWorkflowRun({
      workflow_name: 'etl',
      user_message: 'go',
      metadata: { r, note: 'é\u0000' },
    });
    for (let e = 0; e < EVENTS; e++) {
      const payload = { node_id: `n${e % 7}`, output: { e, text: 'x'.repeat(e * 10) } };
      await source.createWorkflowEvent({ run_id: id, event_type: 'node_completed', payload });
    }
    if (r % 3 === 0) await source.updateWorkflowRun(id, { status: 'running' });
  }
  await source.close();
});
after(async () => {
  await closeTestServer(db);
  rmSync(scratch, { recursive: true, force: true });
});

/** Everything a reader sees of the store, as text. */
async function observe(url: string): Promise<string> {
  const store: IWorkflowStore = await openStore(url);
  try {
    const runs = await store.listWorkflowRuns();
    const seen: unknown[] = [runs];
    for (const run of runs) {
      seen.push(await store.listWorkflowEvents(run.id), [...(await store.getCompletedDagNodeOutputs(run.id))]);
    }
    return JSON.stringify(seen);
  } finally {
    await store.close();
  }
}

/** How many runs and events rows the target's tables hold, counted past the store. */
async function rows(schema: string): Promise<{ runs: number; events: number }> {
  const S = `"${schema}"`;
  const { rows } = await db.peek.query<{ runs: number; events: number }>(
    `SELECT (SELECT count(*)::int FROM ${S}.workflow_runs) AS runs,
            (SELECT count(*)::int FROM ${S}.workflow_events) AS events`,
  );
  return rows[0]!;
}

/** Starts a copy and kills it with SIGKILL after `ms`; resolves with whether it had already finished. */
function copyKilledAfter(target: string, ms: number): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, 'copy', sourceUrl, target], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    }),
  );
}

it(`a copy killed at random moments ${TRIALS} times, then rerun, leaves the target equal to the source`, {
  timeout: 1_800_000,
}, async () => {
  const expected = await observe(sourceUrl);
  // How long a whole copy takes here (process start included): the kills fall anywhere within it.
  const started = Date.now();
  const first = db.schemas.newName('wfstore_crash');
  const whole = spawnSync(process.execPath, [BIN, 'copy', sourceUrl, `${db.server.connectionString}?schema=${first}`]);
  assert.equal(whole.status, 0, whole.stderr.toString());
  const span = Date.now() - started;
  await db.schemas.drop(first);

  const partial: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const schema = db.schemas.newName('wfstore_crash');
    const target = `${db.server.connectionString}?schema=${schema}`;
    const finished = await copyKilledAfter(target, Math.round(Math.random() * span));
    const left = await rows(schema).catch(() => ({ runs: 0, events: 0 })); // killed before the schema existed
    if (!finished) {
      // Whole runs only: every run in the target has all its events.
      assert.equal(left.events, left.runs * EVENTS, `trial ${trial}: a run was left with part of its log`);
      partial.push(left.runs);
    }
    const rerun = spawnSync(process.execPath, [BIN, 'copy', sourceUrl, target], { encoding: 'utf8' });
    assert.equal(rerun.status, 0, `trial ${trial}: the rerun failed\n${rerun.stdout}\n${rerun.stderr}`);
    assert.match(
      rerun.stdout,
      new RegExp(`${RUNS - left.runs} written \\(0 of them replacing a run\\), ${left.runs} already there`),
    );
    assert.equal(await observe(target), expected, `trial ${trial}: the target differs from the source`);
    assert.deepEqual(await rows(schema), { runs: RUNS, events: RUNS * EVENTS });
    await db.schemas.drop(schema);
  }
  console.log(
    `copy killed ${partial.length}/${TRIALS} times mid-way ` +
      `(runs already in the target: ${partial.join(', ')}); whole copy ${span} ms`,
  );
});

// A writer process killed with SIGKILL while 64 runs append under group commit (SQLite, PostgreSQL), 20 trials
// each: every acknowledged event is there, each run's sequences are 1..n without a gap, each event is the
// one its writer sent at that place (nothing duplicated, nothing reordered), and the outputs equal each node's
// latest completion in the log.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { IWorkflowStore, JsonValue } from '../../src/contract/types.js';
import { openLocation, referenceAddress } from '../../src/conformance/support/open-location.js';
import type { StoreLocation } from '../../src/conformance/reference-initializer.js';
import { closeTestServer, openTestServer, type TestServer } from '../support/postgres-server.js';
import { findPgBouncer, type PgBouncer, startPgBouncer } from '../../src/testing/postgres/pgbouncer.js';

const WORKER = fileURLToPath(new URL('../support/many-runs-worker.ts', import.meta.url));
const TRIALS = Number(process.env.WFSTORE_CRASH_TRIALS ?? 20);
const RUNS = 64;
const EVENTS = 200;

type Acks = Map<string, number>; // run → highest acknowledged sequence

/**
 * Starts the writer and kills it with SIGKILL once it has acknowledged `killAt` events (a count, not a delay:
 * the kill lands mid-write however fast the backend and the machine are); returns what it acknowledged.
 */
function writeThenKill(location: StoreLocation, killAt: number): Promise<{ acks: Acks; finished: boolean }> {
  const address = JSON.stringify(referenceAddress(location));
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, address, String(RUNS), String(EVENTS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Acks = new Map();
  let pending = '';
  let stderr = '';
  let acknowledged = 0;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const [run, sequence] = line.split(' ');
      acks.set(run!, Math.max(acks.get(run!) ?? 0, Number(sequence)));
    }
    acknowledged += lines.length;
    if (acknowledged >= killAt) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`the writer failed (${code}): ${stderr}`));
      else resolve({ acks, finished: code === 0 });
    }),
  );
}

/** Checks every run against what was acknowledged; returns the events found in all. */
async function check(store: IWorkflowStore, acks: Acks, trial: number): Promise<number> {
  let total = 0;
  for (let r = 0; r < RUNS; r++) {
    const run = `r${r}`;
    const events = await store.listWorkflowEvents(run);
    total += events.length;
    const at = `trial ${trial}, run ${run}`;
    assert.ok(events.length >= (acks.get(run) ?? 0), `${at}: ${acks.get(run)} acknowledged, ${events.length} stored`);
    const latest = new Map<string, JsonValue>();
    events.forEach((event, k) => {
      assert.equal(event.sequence, k + 1, `${at}: a gap or a repeat at position ${k + 1}`);
      assert.equal(event.payload.i, k, `${at}: event ${k + 1} is not the one sent at that place`);
      if (event.event_type === 'node_completed') {
        latest.delete(event.payload.node_id as string);
        latest.set(event.payload.node_id as string, event.payload.output as JsonValue);
      }
    });
    const outputs = await store.getCompletedDagNodeOutputs(run);
    assert.deepEqual(
      [...outputs].sort(([a], [b]) => a.localeCompare(b)),
      [...latest].sort(([a], [b]) => a.localeCompare(b)),
      `${at}: outputs are not the latest completions`,
    );
  }
  return total;
}

/**
 * Waits until no statement runs on the schema: a server finishes the statement a killed client sent (and
 * commits it) before it notices the client is gone, and a check reading the log and then the outputs on
 * either side of that commit would see them disagree.
 */
async function serverSettled(location: StoreLocation): Promise<void> {
  if (location.backend !== 'postgres') return;
  const client = new pg.Client({ connectionString: String(location.connectionString) });
  await client.connect();
  try {
    const running = `SELECT 1 FROM pg_stat_activity
                     WHERE state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0`;
    while ((await client.query(running, [location.schema])).rowCount !== 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}

async function trials(fresh: (trial: number) => Promise<StoreLocation>): Promise<void> {
  const stored: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const location = await fresh(trial);
    const setup = await openLocation(location);
    for (let r = 0; r < RUNS; r++) await setup.createWorkflowRun({ id: `r${r}`, workflow_name: 'w', user_message: '' });
    await setup.close();
    // After 1 % to 50 % of the events are acknowledged (a delay of up to 420 ms once came after the last; the
    // rest stays more than the pipe holds, so the writer cannot be done before the parent reads the count).
    const killAt = Math.round(RUNS * EVENTS * (0.01 + Math.random() * 0.49));
    const { acks, finished } = await writeThenKill(location, killAt);
    assert.equal(finished, false, `trial ${trial}: the writer finished before it was killed; kill it sooner`);
    await serverSettled(location);
    const store = await openLocation(location);
    try {
      stored.push(await check(store, acks, trial));
    } finally {
      await store.close();
    }
  }
  console.log(`killed ${TRIALS} times; events stored at each kill: ${stored.join(', ')} (of ${RUNS * EVENTS})`);
}

// Through PgBouncer when its binary is installed; required (a failure, not a skip) with WFSTORE_REQUIRE_PGBOUNCER=1.
const noPgBouncer = await findPgBouncer().then(
  () => false as const,
  (error: Error) => error.message,
);
if (noPgBouncer !== false && process.env.WFSTORE_REQUIRE_PGBOUNCER === '1') throw new Error(noPgBouncer);

describe('kill -9 of a writer under group commit', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-group-kill-'));
  let db: TestServer;
  let bouncer: PgBouncer | undefined;
  before(async () => {
    db = await openTestServer();
    if (noPgBouncer === false) bouncer = await startPgBouncer({ upstream: db.server.connectionString });
  });
  after(async () => {
    await bouncer?.stop();
    await closeTestServer(db);
    rmSync(scratch, { recursive: true, force: true });
  });

  it(`SQLite: ${TRIALS} trials, 64 runs appending`, { timeout: 1_800_000 }, () =>
    trials(async (trial) => ({ backend: 'sqlite', filename: path.join(scratch, `t${trial}.db`) })),
  );

  it(`PostgreSQL: ${TRIALS} trials, 64 runs appending`, { timeout: 1_800_000 }, () =>
    trials(async () => ({
      backend: 'postgres',
      connectionString: db.server.connectionString,
      schema: db.schemas.newName(),
    })),
  );

  it(
    `PostgreSQL through PgBouncer (transaction mode): ${TRIALS} trials, 64 runs appending`,
    {
      timeout: 1_800_000,
      skip: noPgBouncer,
    },
    () =>
      trials(async () => ({
        backend: 'postgres',
        connectionString: bouncer!.connectionString,
        schema: db.schemas.newName(),
      })),
  );
});

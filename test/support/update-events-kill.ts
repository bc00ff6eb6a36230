// The kill -9 campaign for updates with several events (WF-UPD-5), on any durable reference backend: a writer
// process makes updates of `events` events each (test/support/update-events-worker.ts) and is killed with
// SIGKILL at a random moment inside one of them; the store is then checked as written (verify finds nothing but
// what is derived from the data), reopened and read: the run shows each update with all its events or none of
// them (its status and metadata with it), its sequences 1..n, its outputs each node's latest completion; the next
// update continues the numbering, and verify then finds nothing at all.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backendNamed } from '../../src/backends/registry.js';
import { openLocation, referenceAddress } from '../../src/conformance/support/open-location.js';
import { type StoreLocation, withoutBackend } from '../../src/conformance/reference-initializer.js';
import type { IWorkflowStore, JsonValue } from '../../src/contract/types.js';
import { eventOf, statusAfter } from './update-events-worker.js';

const WORKER = fileURLToPath(new URL('./update-events-worker.ts', import.meta.url));

export interface KillCampaign {
  trials: number;
  /** Events per update, and the padding of each tick's payload, in bytes. */
  events: number;
  padding: number;
  /** What the store's files show right after the kill (the filesystem: whether the log has a torn tail). */
  inspect?: (location: StoreLocation) => Promise<string | undefined>;
  /**
   * For every other trial: resolves at the moment to kill, once the update has started (the filesystem: as soon
   * as its log grows, so that the kill lands while the events are being written).
   */
  trigger?: (location: StoreLocation) => Promise<void>;
}

interface Killed {
  /** The last update acknowledged, and the last one started. */
  acked: number;
  started: number;
}

/**
 * Starts the writer; once update 1 is done (its duration measured), kills it a random time into update 2 or 3
 * (0 to 1.3 times that duration: mostly inside the call, sometimes just after), or when `trigger` says.
 */
function writeThenKill(location: StoreLocation, campaign: KillCampaign, triggered: boolean): Promise<Killed> {
  const address = JSON.stringify(referenceAddress(location));
  const args = ['--import', 'tsx', WORKER, address, String(campaign.events), String(campaign.padding)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killed: Killed = { acked: 0, started: 0 };
  const target = 2 + Math.floor(Math.random() * 2);
  let firstStarted = 0;
  let firstMs = 0;
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const [what, k] = [line.split(' ')[0], Number(line.split(' ')[1])];
      if (what === 'start') killed.started = k;
      if (what === 'done') killed.acked = k;
      if (what === 'start' && k === 1) firstStarted = performance.now();
      if (what === 'done' && k === 1) firstMs = performance.now() - firstStarted;
      if (what !== 'start' || k !== target) continue;
      if (triggered) void campaign.trigger!(location).then(() => child.kill('SIGKILL'));
      else setTimeout(() => child.kill('SIGKILL'), Math.random() * 1.3 * firstMs);
    }
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(killed);
      else reject(new Error(`the writer ended (${code}) before it was killed: ${stderr}`));
    }),
  );
}

/** The run as it must be after updates 1..k, each with all its events. */
async function checkRun(store: IWorkflowStore, campaign: KillCampaign, killed: Killed, at: string): Promise<number> {
  const run = (await store.getWorkflowRun('r'))!;
  const k = run.metadata.step as number;
  assert.ok(k >= killed.acked && k <= killed.started, `${at}: step ${k}, acknowledged ${killed.acked}`);
  assert.equal(run.status, statusAfter(k), `${at}: the status of update ${k}`);
  const events = await store.listWorkflowEvents('r');
  assert.equal(events.length, k * campaign.events, `${at}: update ${k} with all its events, and no other's`);
  const pad = 'x'.repeat(campaign.padding);
  const latest = new Map<string, JsonValue>();
  events.forEach((event, j) => {
    const step = Math.floor(j / campaign.events) + 1;
    const expected = eventOf(step, j % campaign.events, pad);
    assert.deepEqual([event.sequence, event.event_type], [j + 1, expected.event_type], `${at}: event ${j + 1}`);
    assert.deepEqual(event.payload, expected.payload, `${at}: event ${j + 1}'s payload`);
    if (event.event_type === 'node_completed') latest.set(event.payload.node_id as string, event.payload.output!);
  });
  if (k > 0) assert.equal(events.at(-1)!.timestamp, run.updated_at, `${at}: the update's events carry its time`);
  const outputs = [...(await store.getCompletedDagNodeOutputs('r'))].sort(([a], [b]) => a.localeCompare(b));
  assert.deepEqual(
    outputs,
    [...latest].sort(([a], [b]) => a.localeCompare(b)),
    `${at}: outputs`,
  );
  return k;
}

/** verify's findings: none, or (`derived`) only what is derived from the data (node files, views, leftovers). */
async function verified(location: StoreLocation, derived: boolean, at: string): Promise<void> {
  const verify = backendNamed(location.backend).verify!;
  const { damage } = await verify(withoutBackend(location), { repair: false });
  const found = damage.filter((d) => !derived || !d.repairable).map((d) => `${d.where}: ${d.problem}`);
  assert.deepEqual(found, [], `${at}: verify`);
}

/**
 * Waits until no statement runs on the schema: a server finishes the statement a killed client sent (and commits
 * it) before it notices the client is gone.
 */
async function serverSettled(location: StoreLocation): Promise<void> {
  if (typeof location.connectionString !== 'string') return;
  const client = new pg.Client({ connectionString: location.connectionString });
  await client.connect();
  try {
    const running = `SELECT 1 FROM pg_stat_activity
                     WHERE state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0`;
    while ((await client.query(running, [location.schema])).rowCount !== 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    await client.end();
  }
}

/** One trial: a fresh run, the writer killed, the store checked; what the kill left, in a word. */
async function trial(location: StoreLocation, campaign: KillCampaign, at: string, triggered: boolean) {
  const setup = await openLocation(location);
  await setup.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { step: 0 } });
  await setup.updateWorkflowRun('r', { status: 'running' });
  await setup.close();
  const killed = await writeThenKill(location, campaign, triggered);
  await serverSettled(location);
  const seen = await campaign.inspect?.(location);
  await verified(location, true, `${at}, as the kill left it`);
  const store = await openLocation(location);
  let k: number;
  try {
    k = await checkRun(store, campaign, killed, at);
    const next = [eventOf(k + 1, 0, ''), eventOf(k + 1, 1, '')];
    await store.updateWorkflowRun('r', { status: statusAfter(k + 1) }, { events: next });
    const numbered = (await store.listWorkflowEvents('r', { after_sequence: k * campaign.events })).map(
      (e) => e.sequence,
    );
    assert.deepEqual(numbered, [k * campaign.events + 1, k * campaign.events + 2], `${at}: numbering continues`);
  } finally {
    await store.close();
  }
  await verified(location, false, `${at}, after a reopen and an update`);
  const outcome = k > killed.acked ? 'committed' : 'none';
  return seen === undefined ? outcome : `${outcome}, ${seen}`;
}

/** `campaign.trials` trials, each on a fresh location; a line saying what the kills left. */
export async function killTrials(
  name: string,
  fresh: (trial: number) => Promise<StoreLocation>,
  campaign: KillCampaign,
): Promise<string> {
  const outcomes = new Map<string, number>();
  for (let t = 0; t < campaign.trials; t++) {
    const triggered = campaign.trigger !== undefined && t % 2 === 1;
    const outcome = await trial(await fresh(t), campaign, `${name}, trial ${t}`, triggered);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const counts = [...outcomes].map(([outcome, count]) => `${count} ${outcome}`).join('; ');
  return `${name}: killed ${campaign.trials} times mid-update (${campaign.events} events each): ${counts}`;
}

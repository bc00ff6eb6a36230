// updateWorkflowRun with several events on the filesystem backend (WF-UPD-5): the events' lines, the last one
// the commit; a crash anywhere in them leaves all or none; a reader in another process never sees part of them;
// a store of format 1 opens as format 2.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createFilesystemStore, verifyFilesystemStore } from '../../../src/backends/filesystem/index.js';
import { eventLine } from '../../../src/backends/filesystem/log/line-format.js';
import { createMemoryStore } from '../../../src/backends/memory/index.js';
import type { IWorkflowStore, JsonObject, RunStatus } from '../../../src/contract/types.js';
import { parseCreateEvent } from '../../../src/contract/validation.js';
import { ManualClock } from '../../../src/conformance/support/clock.js';
import { startReader } from '../../support/start-fs-reader.js';

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-update-events-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

const completed = (node_id: string, output: unknown) => ({
  event_type: 'node_completed',
  payload: { node_id, output: output as never },
});

/** The same calls on a store, for comparing the filesystem with the memory store. */
async function approveAndFinish(store: IWorkflowStore, clock: ManualClock) {
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { a: 1 } });
  await store.createWorkflowEvent({ run_id: 'r', event_type: 'queued' });
  clock.advance(5);
  const rejected = await store.updateWorkflowRun(
    'r',
    { status: 'running', metadata: { approval: 'rejected' } },
    { expected_status: 'pending', events: [{ event_type: 'decided', payload: { by: 'u1' } }, completed('gate', 'no')] },
  );
  clock.advance(5);
  // A node completed twice in the list keeps the later output; another node's earlier completion stays.
  const finished = await store.updateWorkflowRun(
    'r',
    { status: 'cancelled' },
    { events: [completed('n', 1), { event_type: 'note' }, completed('n', 2), completed('m', [3])] },
  );
  return {
    rejected,
    finished,
    run: await store.getWorkflowRun('r'),
    events: await store.listWorkflowEvents('r'),
    outputs: [...(await store.getCompletedDagNodeOutputs('r'))],
  };
}

interface Fresh {
  dir: string;
  clock: ManualClock;
  store: IWorkflowStore;
}

async function freshStore(): Promise<Fresh> {
  const dir = path.join(root, `case-${++n}`);
  const clock = new ManualClock();
  return { dir, clock, store: await createFilesystemStore({ artifactsDir: dir, now: clock.now }) };
}

/** The lines of an update's events as the driver writes them: each names the last one, which carries the update. */
function groupLines(runId: string, first: number, count: number, at: string, status: RunStatus): Buffer[] {
  const last = first + count - 1;
  return Array.from({ length: count }, (_, i) => {
    const request = parseCreateEvent({ run_id: runId, ...completed(`n${i % 7}`, { i, pad: 'p'.repeat(i * 3) }) });
    return first + i === last
      ? eventLine(request, last, at, { status, metadataJson: '{"step":1}' })
      : eventLine(request, first + i, at, undefined, last);
  });
}

describe('updateWorkflowRun with several events on the filesystem backend', () => {
  let t: Fresh;
  beforeEach(async () => (t = await freshStore()));
  afterEach(async () => t.store.close());

  it('commits the update and its events as the memory store does, and the same after a reopen', async () => {
    const stored = await approveAndFinish(t.store, t.clock);
    const memoryClock = new ManualClock();
    const expected = await approveAndFinish(await createMemoryStore({ now: memoryClock.now }), memoryClock);
    assert.deepEqual(stored, expected);
    assert.deepEqual(
      stored.events.slice(1).map((e) => e.timestamp),
      [...Array(2).fill(stored.rejected.updated_at), ...Array(4).fill(stored.finished.updated_at)],
    );
    await t.store.close();
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    assert.deepEqual(await t.store.listWorkflowEvents('r'), stored.events);
    assert.deepEqual([...(await t.store.getCompletedDagNodeOutputs('r'))], stored.outputs);
    assert.equal((await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'after' })).sequence, 8);
    const report = await verifyFilesystemStore({ artifactsDir: t.dir }, { repair: false });
    assert.deepEqual(report.damage, []);
  });

  it('1,000 events of 20 KB each in one update: read back whole, in order', { timeout: 120_000 }, async () => {
    await t.store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', status: 'running' });
    const pad = 'x'.repeat(20_000);
    const events = Array.from({ length: 1000 }, (_, i) => ({ event_type: 'step', payload: { i, pad } }));
    await t.store.updateWorkflowRun('r', { status: 'completed' }, { events });
    const read = await t.store.listWorkflowEvents('r');
    assert.deepEqual(
      read.map((e) => [e.sequence, e.payload.i]),
      events.map((_, i) => [i + 1, i]),
    );
    assert.equal((await t.store.getWorkflowRun('r'))?.status, 'completed');
  });

  it('a refused update (its conditions, its transition) writes none of its events', async () => {
    await t.store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { token: 't1' } });
    const before = await fs.readFile(path.join(t.dir, 'r', 'events.jsonl'));
    const events = [{ event_type: 'a' }, { event_type: 'b' }];
    const refused = [
      t.store.updateWorkflowRun('r', { status: 'running' }, { expected_metadata: { token: 't2' }, events }),
      t.store.updateWorkflowRun('r', { status: 'completed' }, { events }),
    ];
    for (const call of refused) await assert.rejects(call);
    assert.deepEqual(await fs.readFile(path.join(t.dir, 'r', 'events.jsonl')), before);
    assert.deepEqual(await t.store.listWorkflowEvents('r'), []);
  });
});

describe('a crash in the middle of an update with several events', () => {
  let t: Fresh;
  beforeEach(async () => (t = await freshStore()));
  afterEach(async () => t.store.close());

  const at = '2026-01-01T00:00:07.000Z';

  /** The run "r", pending with one event, then the store closed: its log and what a crash would add to it. */
  async function runWithOneEvent(): Promise<{ log: string; before: Buffer }> {
    await t.store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'queued' });
    await t.store.close();
    const log = path.join(t.dir, 'r', 'events.jsonl');
    return { log, before: await fs.readFile(log) };
  }

  it('cut before its commit line ends: none of the events, the old status; the next write cuts them off', async () => {
    const { log, before } = await runWithOneEvent();
    const group = Buffer.concat(groupLines('r', 2, 12, at, 'running'));
    // Every line end, and a few places inside lines (the last one just before the commit line's newline).
    const ends = [...group.entries()].filter(([, byte]) => byte === 0x0a).map(([i]) => i + 1);
    const cuts = [...ends.slice(0, -1), 1, 200, ends[5]! + 3, group.length - 1];
    for (const cut of cuts) {
      await fs.writeFile(log, Buffer.concat([before, group.subarray(0, cut)]));
      t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
      assert.equal((await t.store.getWorkflowRun('r'))?.status, 'pending', `cut at ${cut}`);
      assert.deepEqual(
        (await t.store.listWorkflowEvents('r')).map((e) => e.event_type),
        ['queued'],
        `cut at ${cut}`,
      );
      assert.deepEqual([...(await t.store.getCompletedDagNodeOutputs('r'))], [], `cut at ${cut}`);
      const report = await verifyFilesystemStore({ artifactsDir: t.dir }, { repair: false });
      assert.deepEqual(report.damage, [], `cut at ${cut}: an update never committed is no damage`);
      assert.equal(report.events, 1);
      await t.store.close();
    }
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    const next = await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'next' });
    assert.equal(next.sequence, 2);
    assert.equal((await fs.readFile(log, 'utf8')).split('\n').length, 3, 'the uncommitted lines are cut off');
  });

  it('cut after its commit line, before run.json: all of the events and the update, rolled forward', async () => {
    const { log, before } = await runWithOneEvent();
    await fs.writeFile(log, Buffer.concat([before, ...groupLines('r', 2, 12, at, 'running')]));
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    const run = await t.store.getWorkflowRun('r');
    assert.deepEqual([run?.status, run?.metadata, run?.updated_at], ['running', { step: 1 }, at]);
    assert.equal((await t.store.listWorkflowEvents('r')).length, 13);
    assert.deepEqual(
      [...(await t.store.getCompletedDagNodeOutputs('r'))].map(([node]) => node),
      ['n5', 'n6', 'n0', 'n1', 'n2', 'n3', 'n4'],
    );
    await t.store.close(); // the node files the crash left unwritten are written by the view's flush
    assert.deepEqual((await verifyFilesystemStore({ artifactsDir: t.dir }, { repair: false })).damage, []);
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
  });
});

describe('a store of format 1', () => {
  it('opens as format 2: its marker rewritten, its runs read as they were', async () => {
    const dir = path.join(root, `format-1-${++n}`);
    let store = await createFilesystemStore({ artifactsDir: dir });
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.updateWorkflowRun('r', { status: 'running' }, { event: completed('a', 1) });
    const events = await store.listWorkflowEvents('r');
    await store.close();
    const marker = path.join(dir, '.wfstore-format');
    await fs.writeFile(marker, '{"format":"wfstore-filesystem","version":1}\n');
    store = await createFilesystemStore({ artifactsDir: dir });
    try {
      assert.deepEqual(JSON.parse(await fs.readFile(marker, 'utf8')), { format: 'wfstore-filesystem', version: 2 });
      assert.deepEqual(await store.listWorkflowEvents('r'), events);
      assert.equal((await store.getWorkflowRun('r'))?.status, 'running');
      await store.updateWorkflowRun('r', { status: 'completed' }, { events: [completed('b', 2), completed('a', 3)] });
      assert.deepEqual(
        [...(await store.getCompletedDagNodeOutputs('r'))],
        [
          ['b', 2],
          ['a', 3],
        ],
      );
    } finally {
      await store.close();
    }
  });
});

describe('what a reader in another process sees of updates with several events', () => {
  it('never part of an update’s events, a status without them, or them without it', { timeout: 180_000 }, async () => {
    const dir = path.join(root, `readers-${++n}`);
    const store = await createFilesystemStore({ artifactsDir: dir, fsync: false });
    const size = 100;
    try {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { step: 0 } });
      const report = await startReader('groups', dir, 'r', String(size));
      const pad = 'y'.repeat(20_000); // 2 MB an update: several writes, which a reader can fall between
      const update = (step: number, status: RunStatus) => {
        const events = Array.from({ length: size }, (_, i): { event_type: string; payload: JsonObject } => ({
          event_type: 'step',
          payload: { step, i, pad },
        }));
        return store.updateWorkflowRun('r', { status, metadata: { step } }, { events });
      };
      const UPDATES = 100;
      for (let step = 1; step < UPDATES; step++) {
        await update(step, step % 2 === 1 ? 'running' : 'paused');
        if (step % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await update(UPDATES, 'cancelled');
      const { checks, problems } = await report();
      assert.deepEqual(problems.slice(0, 5), [], `${problems.length} of ${checks} checks saw part of an update`);
      console.log(`the reader in another process checked the run ${checks} times`);
      assert.ok(checks >= 10, `the reader polled while the run changed (${checks} checks)`);
    } finally {
      await store.close();
    }
  });
});

// updateWorkflowRun with an event on the filesystem backend (WF-UPD-4): one commit, recovered after a crash
// between its two files, and never seen apart by a reader in another process.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createFilesystemStore } from '../../../src/backends/filesystem/index.js';
import { eventLine } from '../../../src/backends/filesystem/log/line-format.js';
import { createMemoryStore } from '../../../src/backends/memory/index.js';
import type { IWorkflowStore, RunStatus } from '../../../src/contract/types.js';
import { parseCreateEvent } from '../../../src/contract/validation.js';
import { ManualClock } from '../../../src/conformance/support/clock.js';
import { startReader } from '../../support/start-fs-reader.js';

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-updates-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

/** The same calls on a store, for comparing the filesystem with the memory store. */
async function claimAndComplete(store: IWorkflowStore, clock: ManualClock) {
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { a: 1 } });
  await store.createWorkflowEvent({ run_id: 'r', event_type: 'queued' });
  clock.advance(5);
  const claimed = await store.updateWorkflowRun(
    'r',
    { status: 'running', metadata: { owner: 'w1' } },
    { expected_status: 'pending', event: { event_type: 'claimed', payload: { by: 'w1' } } },
  );
  clock.advance(5);
  const done = await store.updateWorkflowRun(
    'r',
    { status: 'completed' },
    { event: { event_type: 'node_completed', payload: { node_id: 'n', output: [1, 2] } } },
  );
  return {
    claimed,
    done,
    run: await store.getWorkflowRun('r'),
    events: await store.listWorkflowEvents('r'),
    outputs: await store.getCompletedDagNodeOutputs('r'),
  };
}

interface Fresh {
  dir: string;
  clock: ManualClock;
  store: IWorkflowStore;
}

/** A new store in a directory of its own, on a clock the test moves. */
async function freshStore(): Promise<Fresh> {
  const dir = path.join(root, `case-${++n}`);
  const clock = new ManualClock();
  return { dir, clock, store: await createFilesystemStore({ artifactsDir: dir, now: clock.now }) };
}

describe('updateWorkflowRun with an event on the filesystem backend', () => {
  let t: Fresh;
  beforeEach(async () => (t = await freshStore()));
  afterEach(async () => t.store.close());

  it('commits the update and its event as the memory store does: numbered, timestamped, with its output', async () => {
    const stored = await claimAndComplete(t.store, t.clock);
    const memoryClock = new ManualClock();
    const expected = await claimAndComplete(await createMemoryStore({ now: memoryClock.now }), memoryClock);
    assert.deepEqual(stored, expected);
    assert.equal(stored.events[1]?.timestamp, stored.claimed.updated_at);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(t.dir, 'r', 'run.json'), 'utf8')), stored.run);
    await t.store.close();
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    assert.deepEqual(await t.store.listWorkflowEvents('r'), stored.events, 'the same after a reopen');
    assert.equal((await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'after' })).sequence, 4);
  });

  /** Simulates a crash after an update's line was committed, before run.json was replaced. */
  async function committedNotApplied(): Promise<string> {
    await t.store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { a: 1 } });
    await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'queued' });
    await t.store.close();
    const at = '2026-01-01T00:00:07.000Z';
    const line = eventLine(parseCreateEvent({ run_id: 'r', event_type: 'claimed' }), 2, at, {
      status: 'running',
      metadataJson: '{"owner":"w1"}',
    });
    await fs.appendFile(path.join(t.dir, 'r', 'events.jsonl'), line);
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    return at;
  }

  it('a crash between the commit and run.json: a reader sees the update, and run.json is rolled forward', async () => {
    const at = await committedNotApplied();
    const run = await t.store.getWorkflowRun('r');
    assert.deepEqual([run?.status, run?.metadata, run?.updated_at], ['running', { a: 1, owner: 'w1' }, at]);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(t.dir, 'r', 'run.json'), 'utf8')), run);
    assert.deepEqual(
      (await t.store.listWorkflowRuns()).map((r) => r.status),
      ['running'],
    );
    assert.equal((await t.store.createWorkflowEvent({ run_id: 'r', event_type: 'next' })).sequence, 3);
  });

  it('a crash between the commit and run.json: the next write rolls forward first', async () => {
    const at = await committedNotApplied();
    const run = await t.store.updateWorkflowRun('r', { metadata: { b: 2 } }, { expected_status: 'running' });
    assert.deepEqual([run.status, run.metadata, run.updated_at], ['running', { a: 1, owner: 'w1', b: 2 }, at]);
    assert.deepEqual(
      (await t.store.listWorkflowEvents('r')).map((e) => e.event_type),
      ['queued', 'claimed'],
    );
  });

  it('a crash in the middle of the commit (a torn line): neither the update nor its event', async () => {
    await t.store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await t.store.close();
    const line = Buffer.from(
      eventLine(parseCreateEvent({ run_id: 'r', event_type: 'claimed' }), 1, t.clock.iso(), {
        status: 'running',
        metadataJson: undefined,
      }),
    );
    await fs.appendFile(path.join(t.dir, 'r', 'events.jsonl'), line.subarray(0, line.length - 1));
    t.store = await createFilesystemStore({ artifactsDir: t.dir, now: t.clock.now });
    assert.equal((await t.store.getWorkflowRun('r'))?.status, 'pending');
    assert.deepEqual(await t.store.listWorkflowEvents('r'), []);
    const claimed = await t.store.updateWorkflowRun('r', { status: 'running' }, { event: { event_type: 'claimed' } });
    assert.equal(claimed.status, 'running');
    assert.equal((await t.store.listWorkflowEvents('r'))[0]?.sequence, 1);
  });
});

describe('what a reader in another process sees', () => {
  let dir: string;
  let store: IWorkflowStore;
  beforeEach(async () => {
    dir = path.join(root, `readers-${++n}`);
    store = await createFilesystemStore({ artifactsDir: dir, fsync: false });
  });
  afterEach(async () => store.close());

  it('never a status without its event, nor an event without its status, over 1,000 claim/complete cycles', {
    timeout: 120_000,
  }, async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { step: 0 } });
    const report = await startReader('updates', dir, 'r');
    let step = 0;
    const update = (status: RunStatus, expected: RunStatus, event_type: string) => {
      step++;
      return store.updateWorkflowRun(
        'r',
        { status, metadata: { step } },
        { expected_status: expected, event: { event_type, payload: { step } } },
      );
    };
    for (let cycle = 1; cycle <= 1000; cycle++) {
      await update('running', cycle === 1 ? 'pending' : 'paused', 'claimed');
      await update('paused', 'running', 'released');
      // A busy writer starves a reader in another process of the run's lock (it polls with a backoff): a
      // pause now and then lets it in mid-sequence, so the check below cannot pass on a handful of reads.
      if (cycle % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await update('cancelled', 'paused', 'finished');
    const { checks, problems } = await report();
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} of ${checks} checks saw the two apart`);
    console.log(`the reader in another process checked the run ${checks} times`);
    assert.ok(checks >= 10, `the reader polled while the run changed (${checks} checks)`);
  });

  it('never a half-written run.json while it is rewritten 500 times', { timeout: 120_000 }, async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    const report = await startReader('rewrites', dir, 'r');
    const pad = 'x'.repeat(100_000); // many pages: a write in place could be read half done
    for (let i = 1; i <= 500; i++) await store.updateWorkflowRun('r', { metadata: { i, pad } });
    await store.updateWorkflowRun('r', { metadata: { done: true } });
    const { checks, problems } = await report();
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} of ${checks} reads were not whole`);
    assert.ok(checks >= 10, `the reader polled while run.json was rewritten (${checks} checks)`);
  });
});

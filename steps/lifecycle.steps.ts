// Closing, reopening, and who owns the objects that cross the interface.

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { JsonObject, RunStatus, WorkflowRun } from '../src/contract/types.js';
import type { StoreWorld } from './support/world.js';

async function reopen(world: StoreWorld): Promise<void> {
  const reopenStore = world.suite.initializer.reopenStore;
  assert.ok(reopenStore !== undefined, 'the initializer has no reopenStore');
  world.store = await reopenStore(world.store);
}

When('the store is closed', function (this: StoreWorld) {
  return this.attempt(() => this.store.close());
});

When('the store is closed again', function (this: StoreWorld) {
  return this.attempt(() => this.store.close());
});

When('the store is reopened', function (this: StoreWorld) {
  return reopen(this);
});

Then('every operation on run {string} fails with STORE_CLOSED', async function (this: StoreWorld, id: string) {
  const s = this.store;
  const calls: [string, () => Promise<unknown>][] = [
    ['createWorkflowRun', () => s.createWorkflowRun({ workflow_name: 'wf', user_message: '' })],
    ['getWorkflowRun', () => s.getWorkflowRun(id)],
    ['listWorkflowRuns', () => s.listWorkflowRuns()],
    ['updateWorkflowRun', () => s.updateWorkflowRun(id, { status: 'running' })],
    ['deleteWorkflowRun', () => s.deleteWorkflowRun(id)],
    ['createWorkflowEvent', () => s.createWorkflowEvent({ run_id: id, event_type: 'x' })],
    ['listWorkflowEvents', () => s.listWorkflowEvents(id)],
    ['getCompletedDagNodeOutputs', () => s.getCompletedDagNodeOutputs(id)],
    // After close() even invalid input gets STORE_CLOSED: nothing is looked at any more (WF-CLS-1).
    ['createWorkflowRun', () => s.createWorkflowRun({ id: '..', workflow_name: '', user_message: '' })],
    ['getWorkflowRun', () => s.getWorkflowRun('../x')],
    ['listWorkflowRuns', () => s.listWorkflowRuns({ limit: -1 })],
    ['updateWorkflowRun', () => s.updateWorkflowRun(id, { status: 'done' as RunStatus })],
    ['deleteWorkflowRun', () => s.deleteWorkflowRun('')],
    ['createWorkflowEvent', () => s.createWorkflowEvent({ run_id: id, event_type: 'not a type' })],
    ['listWorkflowEvents', () => s.listWorkflowEvents(id, { limit: -1 })],
    ['getCompletedDagNodeOutputs', () => s.getCompletedDagNodeOutputs('a b')],
  ];
  for (const [name, call] of calls) {
    await this.attempt(call);
    const error = this.failedWith('STORE_CLOSED');
    this.recommend('WF-ERR-3', () =>
      assert.ok(
        String(error.message).includes(name),
        `the STORE_CLOSED message does not name ${name}: ${error.message}`,
      ),
    );
  }
});

When(
  '{int} events are appended to run {string} and the store is closed without waiting for them',
  async function (this: StoreWorld, count: number, runId: string) {
    let settled = 0;
    const pending = Array.from({ length: count }, (_, i) =>
      this.store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: { i } }).finally(() => settled++),
    );
    await this.store.close();
    // A few microtasks for the bookkeeping above (and the call guard's) to run, but no I/O turn: an append
    // still waiting for I/O when close() resolved stays uncounted.
    for (let i = 0; i < 20; i++) await null;
    this.notes.set('settled when close() resolved', settled);
    this.settled = await Promise.allSettled(pending);
  },
);

Then('all {int} had settled when close\\(\\) resolved', function (this: StoreWorld, count: number) {
  assert.equal(
    this.notes.get('settled when close() resolved'),
    count,
    'close() resolves after the calls under way (WF-CLS-3)',
  );
});

Then('all {int} appends succeed', function (this: StoreWorld, count: number) {
  assert.equal(this.settled.length, count);
  const failed = this.settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  assert.deepEqual(
    failed.map((f) => String((f.reason as Error).message)),
    [],
  );
});

// --- durability ------------------------------------------------------------------------------------

async function everything(world: StoreWorld) {
  const runs = await world.store.listWorkflowRuns();
  const perRun = await Promise.all(
    runs.map(async (run) => ({
      run,
      events: await world.store.listWorkflowEvents(run.id),
      outputs: [...(await world.store.getCompletedDagNodeOutputs(run.id))],
    })),
  );
  return perRun;
}

When('everything the store returns is noted and the store is reopened', async function (this: StoreWorld) {
  this.notes.set('before reopen', await everything(this));
  await reopen(this);
});

Then('the store returns exactly what was noted', async function (this: StoreWorld) {
  assert.deepEqual(await everything(this), this.notes.get('before reopen'));
});

Then(
  'the next event of run {string} gets sequence {int}',
  async function (this: StoreWorld, runId: string, sequence: number) {
    assert.equal(
      (await this.store.createWorkflowEvent({ run_id: runId, event_type: 'after_reopen' })).sequence,
      sequence,
    );
  },
);

// --- copies ----------------------------------------------------------------------------------------

When('the caller changes the metadata of the run it got back', async function (this: StoreWorld) {
  const [run] = (await this.store.listWorkflowRuns()) as WorkflowRun[];
  assert.ok(run !== undefined, 'no run');
  (run.metadata as { list: number[] }).list.push(2);
  run.metadata.added = true;
  const fetched = await this.store.getWorkflowRun(run.id);
  (fetched!.metadata as { list: number[] }).list.push(3);
});

When(
  'the caller appends a node {string} output and then changes the object it passed',
  async function (this: StoreWorld, nodeId: string) {
    const [run] = await this.store.listWorkflowRuns();
    const output: JsonObject = { v: 1 };
    const payload = { node_id: nodeId, output };
    const event = await this.store.createWorkflowEvent({ run_id: run!.id, event_type: 'node_completed', payload });
    output.v = 2;
    (event.payload.output as JsonObject).v = 3;
  },
);

When(
  'the caller changes the outputs map of run {string} it got back',
  async function (this: StoreWorld, runId: string) {
    const outputs = await this.store.getCompletedDagNodeOutputs(runId);
    for (const value of outputs.values()) {
      const v = value as { v: number; list: number[] };
      v.v = 2;
      v.list.push(2);
    }
    outputs.set('added', true);
    outputs.delete('n');
  },
);

When(
  'the caller appends an event to run {string} and changes its payload before the call settles',
  async function (this: StoreWorld, runId: string) {
    const payload = { step: 'fetch', tags: ['a'] };
    const call = this.store.createWorkflowEvent({ run_id: runId, event_type: 'x', payload });
    payload.step = 'changed';
    payload.tags.push('b');
    await call;
  },
);

Then(
  'the payload of event {int} of run {string} is:',
  async function (this: StoreWorld, sequence: number, runId: string, json: string) {
    const [event] = await this.store.listWorkflowEvents(runId, { after_sequence: sequence - 1, limit: 1 });
    assert.ok(event !== undefined, `run "${runId}" has no event ${sequence}`);
    assert.deepEqual(event.payload, JSON.parse(json));
  },
);

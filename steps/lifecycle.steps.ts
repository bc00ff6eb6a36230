// Closing, reopening, and who owns the objects that cross the interface.

import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { JsonObject, WorkflowRun } from '../src/contract/types.js';
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
    const pending = Array.from({ length: count }, (_, i) =>
      this.store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: { i } }),
    );
    await this.store.close();
    this.settled = await Promise.allSettled(pending);
  },
);

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

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachBackend } from '../support/backends.js';
import { rejectsWith } from '../support/assertions.js';

forEachBackend('runs', (ctx) => {
  it('createWorkflowRun persists the run and returns it, with created_at == updated_at', async () => {
    const { store, clock } = ctx();
    const run = await store.createWorkflowRun({
      id: 'r1',
      workflow_name: 'build',
      user_message: 'go',
      metadata: { k: 1 },
    });
    assert.deepEqual(run, {
      id: 'r1',
      workflow_name: 'build',
      status: 'pending',
      user_message: 'go',
      metadata: { k: 1 },
      created_at: clock.iso(),
      updated_at: clock.iso(),
    });
    assert.deepEqual(await store.getWorkflowRun('r1'), run);
  });

  it('generates the id when absent, from generateId', async () => {
    const run = await ctx().store.createWorkflowRun({ workflow_name: 'w', user_message: '' });
    assert.equal(run.id, 'run-1');
    assert.deepEqual(run.metadata, {});
    assert.equal(run.status, 'pending');
  });

  it('accepts an initial status', async () => {
    const run = await ctx().store.createWorkflowRun({
      id: 'r',
      workflow_name: 'w',
      user_message: '',
      status: 'running',
    });
    assert.equal(run.status, 'running');
  });

  it('a duplicate id is refused with RUN_ALREADY_EXISTS and the existing run is untouched', async () => {
    const { store, clock } = ctx();
    const first = await store.createWorkflowRun({
      id: 'dup',
      workflow_name: 'a',
      user_message: 'first',
      metadata: { v: 1 },
    });
    clock.advance(1000);
    const error = await rejectsWith(
      store.createWorkflowRun({ id: 'dup', workflow_name: 'b', user_message: 'second' }),
      'RUN_ALREADY_EXISTS',
    );
    assert.equal(error.runId, 'dup');
    assert.match(error.message, /dup/);
    assert.deepEqual(await store.getWorkflowRun('dup'), first);
  });

  it('getWorkflowRun of an unknown run is null', async () => {
    assert.equal(await ctx().store.getWorkflowRun('nope'), null);
  });

  it('listWorkflowRuns orders by created_at, then id, and filters by status and workflow_name', async () => {
    const { store, clock } = ctx();
    await store.createWorkflowRun({ id: 'c', workflow_name: 'x', user_message: '' });
    await store.createWorkflowRun({ id: 'a', workflow_name: 'y', user_message: '' }); // same instant as c: id decides
    clock.advance();
    await store.createWorkflowRun({ id: 'B', workflow_name: 'x', user_message: '', status: 'running' });
    clock.advance();
    await store.createWorkflowRun({ id: 'b', workflow_name: 'x', user_message: '', status: 'running' });
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['a', 'c', 'B', 'b'],
    );
    assert.deepEqual(
      (await store.listWorkflowRuns({ status: 'running' })).map((r) => r.id),
      ['B', 'b'],
    );
    assert.deepEqual(
      (await store.listWorkflowRuns({ workflow_name: 'x' })).map((r) => r.id),
      ['c', 'B', 'b'],
    );
    assert.deepEqual(
      (await store.listWorkflowRuns({ workflow_name: 'x', status: 'pending' })).map((r) => r.id),
      ['c'],
    );
    assert.deepEqual(
      (await store.listWorkflowRuns({ limit: 2 })).map((r) => r.id),
      ['a', 'c'],
    );
    assert.deepEqual(await store.listWorkflowRuns({ limit: 0 }), []);
    assert.deepEqual(await store.listWorkflowRuns({ status: 'paused' }), []);
  });

  it('ids sort by code unit, not by locale: upper case before lower case, "-" before digits', async () => {
    const { store } = ctx();
    for (const id of ['b', 'B', 'a-1', 'a1', 'a.1', 'A_1'])
      await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['A_1', 'B', 'a-1', 'a.1', 'a1', 'b'],
    );
  });

  it('deleteWorkflowRun returns true for an existing run, false for an unknown one', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'gone', workflow_name: 'w', user_message: '' });
    assert.equal(await store.deleteWorkflowRun('gone'), true);
    assert.equal(await store.getWorkflowRun('gone'), null);
    assert.equal(await store.deleteWorkflowRun('gone'), false);
    assert.deepEqual(await store.listWorkflowRuns(), []);
  });

  it('a deleted run is unknown: its events and outputs go with it', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: 1 },
    });
    await store.deleteWorkflowRun('r');
    await rejectsWith(store.listWorkflowEvents('r'), 'RUN_NOT_FOUND');
    await rejectsWith(store.getCompletedDagNodeOutputs('r'), 'RUN_NOT_FOUND');
    await rejectsWith(store.createWorkflowEvent({ run_id: 'r', event_type: 'x' }), 'RUN_NOT_FOUND');
    await rejectsWith(store.updateWorkflowRun('r', { status: 'running' }), 'RUN_NOT_FOUND');
  });

  it('delete then recreate with the same id gives an empty run: no old events or outputs come back', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'r', workflow_name: 'old', user_message: '', metadata: { old: true } });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'started' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: 'old' },
    });
    await store.deleteWorkflowRun('r');
    const again = await store.createWorkflowRun({ id: 'r', workflow_name: 'new', user_message: '' });
    assert.deepEqual(again.metadata, {});
    assert.deepEqual(await store.listWorkflowEvents('r'), []);
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map());
    const event = await store.createWorkflowEvent({ run_id: 'r', event_type: 'started' });
    assert.equal(event.sequence, 1, 'numbering starts again at 1');
  });

  it('deleting one run leaves the others alone', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'keep', workflow_name: 'w', user_message: '' });
    await store.createWorkflowRun({ id: 'drop', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'keep', event_type: 'x' });
    await store.deleteWorkflowRun('drop');
    assert.equal((await store.listWorkflowEvents('keep')).length, 1);
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['keep'],
    );
  });
});

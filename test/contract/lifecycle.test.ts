import assert from 'node:assert/strict';
import { it } from 'node:test';
import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { JsonObject } from '../../src/contract/types.js';
import { forEachBackend } from '../support/backends.js';
import { rejectsWith } from '../support/assertions.js';

forEachBackend('lifecycle, copies and durability', (ctx) => {
  it('after close() every call fails with STORE_CLOSED; close() is idempotent', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.close();
    await store.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['createWorkflowRun', () => store.createWorkflowRun({ workflow_name: 'w', user_message: '' })],
      ['getWorkflowRun', () => store.getWorkflowRun('r')],
      ['listWorkflowRuns', () => store.listWorkflowRuns()],
      ['updateWorkflowRun', () => store.updateWorkflowRun('r', { status: 'running' })],
      ['deleteWorkflowRun', () => store.deleteWorkflowRun('r')],
      ['createWorkflowEvent', () => store.createWorkflowEvent({ run_id: 'r', event_type: 'x' })],
      ['listWorkflowEvents', () => store.listWorkflowEvents('r')],
      ['getCompletedDagNodeOutputs', () => store.getCompletedDagNodeOutputs('r')],
    ];
    for (const [name, call] of calls) {
      const error = await rejectsWith(call(), 'STORE_CLOSED');
      assert.match(error.message, new RegExp(name));
    }
    // Even invalid input: the closed store answers first.
    await rejectsWith(store.getWorkflowRun('../x'), 'STORE_CLOSED');
  });

  it('close() waits for calls already under way', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    const pending = Array.from({ length: 10 }, () => store.createWorkflowEvent({ run_id: 'r', event_type: 'x' }));
    await store.close();
    const results = await Promise.allSettled(pending);
    assert.ok(
      results.every((r) => r.status === 'fulfilled'),
      'calls made before close() complete',
    );
    const reopened = await ctx().reopen();
    assert.equal((await reopened.listWorkflowEvents('r')).length, 10);
  });

  it("what a call returns is the caller's own copy", async () => {
    const { store } = ctx();
    const run = await store.createWorkflowRun({
      id: 'r',
      workflow_name: 'w',
      user_message: '',
      metadata: { list: [1] },
    });
    (run.metadata.list as number[]).push(2);
    run.status = 'completed';
    const event = await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: { v: [1] } },
    });
    ((event.payload.output as JsonObject).v as number[]).push(2);
    const outputs = await store.getCompletedDagNodeOutputs('r');
    ((outputs.get('n') as JsonObject).v as number[]).push(3);
    const [listed] = await store.listWorkflowEvents('r');
    (listed!.payload as { node_id: string }).node_id = 'changed';

    assert.deepEqual((await store.getWorkflowRun('r'))?.metadata, { list: [1] });
    assert.equal((await store.getWorkflowRun('r'))?.status, 'pending');
    assert.deepEqual((await store.listWorkflowEvents('r'))[0]!.payload, { node_id: 'n', output: { v: [1] } });
    assert.deepEqual((await store.getCompletedDagNodeOutputs('r')).get('n'), { v: [1] });
  });

  it('what the caller passed in is copied', async () => {
    const { store } = ctx();
    const metadata = { list: [1] };
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata });
    metadata.list.push(2);
    const payload = { node_id: 'n', output: { v: 1 } };
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload });
    payload.output.v = 2;
    const patch = { metadata: { added: { x: 1 } } };
    await store.updateWorkflowRun('r', patch);
    patch.metadata.added.x = 99;

    assert.deepEqual((await store.getWorkflowRun('r'))?.metadata, { list: [1], added: { x: 1 } });
    assert.deepEqual((await store.listWorkflowEvents('r'))[0]!.payload, { node_id: 'n', output: { v: 1 } });
    assert.deepEqual((await store.getCompletedDagNodeOutputs('r')).get('n'), { v: 1 });
  });

  it('errors are WorkflowStoreError instances with a code and a message naming the run', async () => {
    const error = await rejectsWith(
      ctx().store.createWorkflowEvent({ run_id: 'missing-run', event_type: 'x' }),
      'RUN_NOT_FOUND',
    );
    assert.ok(error instanceof WorkflowStoreError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WorkflowStoreError');
    assert.match(error.message, /missing-run/);
  });

  it('everything acknowledged survives a close and reopen, exactly', async () => {
    const { store, clock } = ctx();
    await store.createWorkflowRun({ id: 'a', workflow_name: 'w', user_message: 'keep me', metadata: { m: 1 } });
    clock.advance();
    await store.createWorkflowRun({ id: 'b', workflow_name: 'w', user_message: '' });
    await store.updateWorkflowRun('a', { status: 'running', metadata: { n: 2 } });
    for (let i = 0; i < 5; i++) {
      await store.createWorkflowEvent({
        run_id: 'a',
        event_type: 'node_completed',
        payload: { node_id: `n${i % 2}`, output: i },
      });
    }
    await store.deleteWorkflowRun('b');
    const before = {
      runs: await store.listWorkflowRuns(),
      events: await store.listWorkflowEvents('a'),
      outputs: await store.getCompletedDagNodeOutputs('a'),
    };
    const reopened = await ctx().reopen();
    assert.deepEqual(await reopened.listWorkflowRuns(), before.runs);
    assert.deepEqual(await reopened.listWorkflowEvents('a'), before.events);
    assert.deepEqual(await reopened.getCompletedDagNodeOutputs('a'), before.outputs);
    assert.equal(await reopened.getWorkflowRun('b'), null);
    assert.equal((await reopened.createWorkflowEvent({ run_id: 'a', event_type: 'x' })).sequence, 6);
  });
});

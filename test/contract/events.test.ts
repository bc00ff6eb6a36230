import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachBackend } from '../support/backends.js';
import { rejectsWith } from '../support/assertions.js';

forEachBackend('events and node outputs', (ctx) => {
  const newRun = (id = 'r') => ctx().store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('createWorkflowEvent appends to the event log with sequence and timestamp', async () => {
    const { store, clock } = ctx();
    await newRun();
    const first = await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'workflow_started',
      payload: { by: 'me' },
    });
    const t2 = clock.advance(7);
    const second = await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_started' });
    assert.deepEqual(first, {
      run_id: 'r',
      sequence: 1,
      event_type: 'workflow_started',
      timestamp: '2026-01-01T00:00:00.000Z',
      payload: { by: 'me' },
    });
    assert.deepEqual(second, { run_id: 'r', sequence: 2, event_type: 'node_started', timestamp: t2, payload: {} });
    assert.deepEqual(await store.listWorkflowEvents('r'), [first, second]);
  });

  it('numbers each run separately', async () => {
    const { store } = ctx();
    await newRun('a');
    await newRun('b');
    await store.createWorkflowEvent({ run_id: 'a', event_type: 'x' });
    await store.createWorkflowEvent({ run_id: 'a', event_type: 'x' });
    assert.equal((await store.createWorkflowEvent({ run_id: 'b', event_type: 'x' })).sequence, 1);
  });

  it('100 concurrent createWorkflowEvent calls on one run give sequences 1..100', async () => {
    const { store } = ctx();
    await newRun();
    const events = await Promise.all(
      range(100).map((i) => store.createWorkflowEvent({ run_id: 'r', event_type: 'tick', payload: { i } })),
    );
    assert.deepEqual(
      events.map((e) => e.sequence).sort((a, b) => a - b),
      range(100),
    );
    const listed = await store.listWorkflowEvents('r');
    assert.deepEqual(
      listed.map((e) => e.sequence),
      range(100),
    );
    // Each stored event is the one its call returned.
    const byPayload = new Map(events.map((e) => [e.payload.i, e.sequence]));
    for (const event of listed) assert.equal(byPayload.get(event.payload.i), event.sequence);
  });

  it('listWorkflowEvents pages with after_sequence and limit', async () => {
    const { store } = ctx();
    await newRun();
    for (let i = 0; i < 10; i++) await store.createWorkflowEvent({ run_id: 'r', event_type: 'x', payload: { i } });
    const seqs = async (options: { after_sequence?: number; limit?: number }) =>
      (await store.listWorkflowEvents('r', options)).map((e) => e.sequence);
    assert.deepEqual(await seqs({ after_sequence: 7 }), [8, 9, 10]);
    assert.deepEqual(await seqs({ limit: 3 }), [1, 2, 3]);
    assert.deepEqual(await seqs({ after_sequence: 4, limit: 2 }), [5, 6]);
    assert.deepEqual(await seqs({ after_sequence: 10 }), []);
    assert.deepEqual(await seqs({ after_sequence: 99 }), []);
    assert.deepEqual(await seqs({ limit: 0 }), []);
  });

  it('an empty run lists no events and no outputs', async () => {
    await newRun();
    assert.deepEqual(await ctx().store.listWorkflowEvents('r'), []);
    assert.deepEqual(await ctx().store.getCompletedDagNodeOutputs('r'), new Map());
  });

  it('every operation on an unknown run is RUN_NOT_FOUND, except get (null) and delete (false)', async () => {
    const { store } = ctx();
    for (const call of [
      () => store.createWorkflowEvent({ run_id: 'ghost', event_type: 'x' }),
      () => store.listWorkflowEvents('ghost'),
      () => store.getCompletedDagNodeOutputs('ghost'),
      () => store.updateWorkflowRun('ghost', { metadata: {} }),
    ]) {
      const error = await rejectsWith(call(), 'RUN_NOT_FOUND');
      assert.equal(error.runId, 'ghost');
    }
    assert.equal(await store.getWorkflowRun('ghost'), null);
    assert.equal(await store.deleteWorkflowRun('ghost'), false);
    assert.equal(await store.getWorkflowRun('ghost'), null, 'nothing was created on the way');
  });

  it('getCompletedDagNodeOutputs returns all completed node outputs keyed by node id', async () => {
    const { store } = ctx();
    await newRun();
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_started', payload: { node_id: 'a' } });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: { rows: [1, 2] } },
    });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'b', output: 'text' },
    });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_failed',
      payload: { node_id: 'c', error: 'boom' },
    });
    const outputs = await store.getCompletedDagNodeOutputs('r');
    assert.deepEqual(
      outputs,
      new Map<string, unknown>([
        ['a', { rows: [1, 2] }],
        ['b', 'text'],
      ]),
    );
  });

  it('a node completed more than once: the latest completion wins', async () => {
    const { store } = ctx();
    await newRun();
    for (const output of ['first', 'second', 'third']) {
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n', output } });
    }
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['n', 'third']]));
  });

  it('a completion without output records null', async () => {
    const { store } = ctx();
    await newRun();
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n' } });
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['n', null]]));
  });

  it('a node_completed event without a valid node_id is refused and nothing is appended', async () => {
    const { store } = ctx();
    await newRun();
    await rejectsWith(
      store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { output: 1 } }),
      'INVALID_INPUT',
    );
    await rejectsWith(
      store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: '../n' } }),
      'INVALID_INPUT',
    );
    assert.deepEqual(await store.listWorkflowEvents('r'), []);
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map());
  });

  it('outputs come in the order of their latest completion', async () => {
    const { store } = ctx();
    await newRun();
    for (const node_id of ['b', 'a', 'c', 'b']) {
      await store.createWorkflowEvent({
        run_id: 'r',
        event_type: 'node_completed',
        payload: { node_id, output: node_id },
      });
    }
    assert.deepEqual([...(await store.getCompletedDagNodeOutputs('r')).keys()], ['a', 'c', 'b']);
  });

  it('concurrent completions of one node: the output is the one with the highest sequence', async () => {
    const { store } = ctx();
    await newRun();
    const events = await Promise.all(
      range(20).map((i) =>
        store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n', output: i } }),
      ),
    );
    const latest = events.reduce((a, b) => (a.sequence > b.sequence ? a : b));
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['n', latest.payload.output]]));
  });

  it('events do not change the run row as the caller sees it', async () => {
    const { store, clock } = ctx();
    const run = await newRun();
    clock.advance(1000);
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n' } });
    assert.deepEqual(await store.getWorkflowRun('r'), run);
  });
});

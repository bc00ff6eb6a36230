import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RUN_STATUSES, type RunStatus } from '../../src/contract/types.js';
import { TRANSITIONS } from '../../src/contract/transitions.js';
import { forEachBackend } from '../support/backends.js';
import { rejectsWith } from '../support/assertions.js';

// Written out, not derived from TRANSITIONS, so a wrong table in the code fails here.
const ALLOWED: [RunStatus, RunStatus][] = [
  ['pending', 'running'],
  ['pending', 'failed'],
  ['pending', 'cancelled'],
  ['running', 'paused'],
  ['running', 'completed'],
  ['running', 'failed'],
  ['running', 'cancelled'],
  ['paused', 'running'],
  ['paused', 'failed'],
  ['paused', 'cancelled'],
  ['failed', 'running'],
];
const isAllowed = (from: RunStatus, to: RunStatus) => from === to || ALLOWED.some(([f, t]) => f === from && t === to);
const FORBIDDEN = RUN_STATUSES.flatMap((from) =>
  RUN_STATUSES.filter((to) => !isAllowed(from, to)).map((to) => [from, to] as const),
);

it('the transition table matches the contract', () => {
  for (const from of RUN_STATUSES) {
    assert.deepEqual(
      [...TRANSITIONS[from]].sort(),
      ALLOWED.filter(([f]) => f === from)
        .map(([, t]) => t)
        .sort(),
      from,
    );
  }
  assert.equal(FORBIDDEN.length, 36 - 11 - 6);
});

forEachBackend('updates', (ctx) => {
  async function runIn(status: RunStatus, id = 'r') {
    return ctx().store.createWorkflowRun({ id, workflow_name: 'w', user_message: '', status, metadata: { keep: 1 } });
  }

  it('updateWorkflowRun persists the status change and sets updated_at to now', async () => {
    const { store, clock } = ctx();
    const created = await runIn('pending');
    const later = clock.advance(5000);
    const updated = await store.updateWorkflowRun('r', { status: 'running' });
    assert.deepEqual(updated, { ...created, status: 'running', updated_at: later });
    assert.deepEqual(await store.getWorkflowRun('r'), updated);
  });

  for (const [from, to] of ALLOWED) {
    it(`allows ${from} → ${to}`, async () => {
      await runIn(from);
      assert.equal((await ctx().store.updateWorkflowRun('r', { status: to })).status, to);
      assert.equal((await ctx().store.getWorkflowRun('r'))?.status, to);
    });
  }

  for (const [from, to] of FORBIDDEN) {
    it(`refuses ${from} → ${to} with INVALID_TRANSITION, changing nothing`, async () => {
      const before = await runIn(from);
      ctx().clock.advance(1000);
      const error = await rejectsWith(
        ctx().store.updateWorkflowRun('r', { status: to, metadata: { x: 1 } }),
        'INVALID_TRANSITION',
      );
      assert.equal(error.from, from);
      assert.equal(error.to, to);
      assert.equal(error.runId, 'r');
      assert.match(error.message, new RegExp(`"${from}".*"${to}"`));
      assert.deepEqual(await ctx().store.getWorkflowRun('r'), before);
    });
  }

  it('a patch with the same status is allowed, also on a final status (metadata-only update)', async () => {
    await runIn('completed');
    const updated = await ctx().store.updateWorkflowRun('r', { status: 'completed', metadata: { note: 'archived' } });
    assert.deepEqual(updated.metadata, { keep: 1, note: 'archived' });
  });

  it('metadata merges shallowly: patch keys replace, others stay, null is stored as null', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({
      id: 'r',
      workflow_name: 'w',
      user_message: '',
      metadata: { a: 1, b: { deep: 1 }, c: 3 },
    });
    const updated = await store.updateWorkflowRun('r', { metadata: { b: { other: 2 }, c: null, d: 4 } });
    assert.deepEqual(updated.metadata, { a: 1, b: { other: 2 }, c: null, d: 4 });
    assert.deepEqual(Object.keys(updated.metadata), ['a', 'b', 'c', 'd']);
    assert.deepEqual((await store.getWorkflowRun('r'))?.metadata, updated.metadata);
  });

  it('updated_at never goes below the previous updated_at when the clock goes back', async () => {
    const { store, clock } = ctx();
    await runIn('pending');
    const t1 = clock.advance(10_000);
    await store.updateWorkflowRun('r', { status: 'running' });
    clock.advance(-60_000);
    const updated = await store.updateWorkflowRun('r', { metadata: { x: 1 } });
    assert.equal(updated.updated_at, t1);
    assert.ok(updated.updated_at >= updated.created_at);
  });

  it('compare-and-set applies when the stored status equals expected_status', async () => {
    await runIn('failed');
    const updated = await ctx().store.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'failed' });
    assert.equal(updated.status, 'running');
  });

  it('compare-and-set refuses with STATUS_CONFLICT when the status differs, changing nothing', async () => {
    const before = await runIn('running');
    const error = await rejectsWith(
      ctx().store.updateWorkflowRun('r', { status: 'paused', metadata: { x: 1 } }, { expected_status: 'pending' }),
      'STATUS_CONFLICT',
    );
    assert.equal(error.expected, 'pending');
    assert.equal(error.actual, 'running');
    assert.deepEqual(await ctx().store.getWorkflowRun('r'), before);
  });

  it('8 concurrent resumes of one failed run with expected_status "failed" give exactly one winner', async () => {
    await runIn('failed');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        ctx().store.updateWorkflowRun(
          'r',
          { status: 'running', metadata: { winner: i } },
          { expected_status: 'failed' },
        ),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(winners.length, 1);
    assert.equal(losers.length, 7);
    for (const loser of losers) assert.equal((loser.reason as { code: string }).code, 'STATUS_CONFLICT');
    const stored = await ctx().store.getWorkflowRun('r');
    assert.equal(stored?.status, 'running');
    assert.deepEqual(stored?.metadata, (winners[0] as PromiseFulfilledResult<{ metadata: unknown }>).value.metadata);
  });

  it('checks in order: input, then existence, then expected_status, then the transition', async () => {
    const { store } = ctx();
    await rejectsWith(store.updateWorkflowRun('nope', { status: 'bogus' as RunStatus }), 'INVALID_INPUT');
    await rejectsWith(
      store.updateWorkflowRun('nope', { status: 'running' }, { expected_status: 'failed' }),
      'RUN_NOT_FOUND',
    );
    await runIn('completed');
    await rejectsWith(
      store.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'failed' }),
      'STATUS_CONFLICT',
    );
    await rejectsWith(
      store.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'completed' }),
      'INVALID_TRANSITION',
    );
  });

  it('an unknown run is RUN_NOT_FOUND', async () => {
    const error = await rejectsWith(ctx().store.updateWorkflowRun('ghost', { status: 'running' }), 'RUN_NOT_FOUND');
    assert.equal(error.runId, 'ghost');
    assert.match(error.message, /ghost/);
  });

  it('an unknown field in the patch or options is refused, not ignored', async () => {
    const before = await runIn('failed');
    const store = ctx().store;
    const typo = await rejectsWith(
      store.updateWorkflowRun('r', { status: 'running' }, { expectedStatus: 'paused' } as never),
      'INVALID_INPUT',
    );
    assert.match(typo.message, /expectedStatus/);
    await rejectsWith(store.updateWorkflowRun('r', { state: 'running' } as never), 'INVALID_INPUT');
    assert.deepEqual(await store.getWorkflowRun('r'), before);
  });
});

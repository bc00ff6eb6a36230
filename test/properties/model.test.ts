// The model answers the cases 1.2 decides as docs/contract.md words them (WF-ERR-5, WF-DET-2, WF-VAL-16), and
// under an earlier version also accepts the answer of the stored data, which that version left open.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/conformance/support/clock.js';
import type { ContractVersion } from '../../src/contract/versions.js';
import { StoreModel } from '../../src/properties/model.js';

function modelWithRun(contract: ContractVersion, clock = new ManualClock()): StoreModel {
  let n = 0;
  const model = new StoreModel(clock.now, () => `gen-${++n}`, contract);
  assert.equal(model.createWorkflowRun({ id: 'r1', workflow_name: 'w', user_message: '' }).ok, true);
  return model;
}

const badOnUnknownRun = (model: StoreModel) => [
  model.createWorkflowEvent({ run_id: 'ghost', event_type: '' }),
  model.listWorkflowEvents('ghost', { limit: -1 }),
];
const badWithTakenId = (model: StoreModel) =>
  model.createWorkflowRun({ id: 'r1', workflow_name: 'a\u0000b', user_message: '' });

describe('the order of checks (WF-ERR-5)', () => {
  it('since 1.2, bad input is INVALID_INPUT alone, on an unknown run and with a taken id', () => {
    const model = modelWithRun('1.2');
    for (const outcome of [...badOnUnknownRun(model), badWithTakenId(model)]) {
      assert.deepEqual(outcome, { ok: false, code: 'INVALID_INPUT' });
    }
  });

  it('under 1.1 and 1.0, the error of the stored data is accepted as well', () => {
    for (const contract of ['1.0', '1.1'] as const) {
      const model = modelWithRun(contract);
      for (const outcome of badOnUnknownRun(model)) {
        assert.deepEqual(outcome, { ok: false, code: 'INVALID_INPUT', or: ['RUN_NOT_FOUND'] }, contract);
      }
      assert.deepEqual(badWithTakenId(model), { ok: false, code: 'INVALID_INPUT', or: ['RUN_ALREADY_EXISTS'] });
    }
  });

  it('under 1.1, only INVALID_INPUT where the stored data gives no error, or the run id itself is bad', () => {
    const model = modelWithRun('1.1');
    assert.deepEqual(model.createWorkflowEvent({ run_id: 'r1', event_type: '' }), { ok: false, code: 'INVALID_INPUT' });
    assert.deepEqual(model.createWorkflowEvent({ run_id: '..', event_type: 'x' }), {
      ok: false,
      code: 'INVALID_INPUT',
    });
    assert.deepEqual(model.createWorkflowRun({ id: 'r2', workflow_name: '' }), { ok: false, code: 'INVALID_INPUT' });
  });
});

describe('a clock outside years 1 to 9999 (WF-DET-2)', () => {
  for (const time of ['+010000-01-01T00:00:00.000Z', '0000-12-31T23:59:59.999Z', 'not a time']) {
    it(`reading ${time}, the calls that write a timestamp fail with BACKEND_FAILURE, after the input`, () => {
      const clock = new ManualClock();
      const model = modelWithRun('1.2', clock);
      clock.set(time);
      const failure = { ok: false, code: 'BACKEND_FAILURE' };
      assert.deepEqual(model.createWorkflowRun({ id: 'r1', workflow_name: 'w', user_message: '' }), failure);
      assert.deepEqual(model.updateWorkflowRun('ghost', { status: 'running' }, undefined), failure);
      assert.deepEqual(model.createWorkflowEvent({ run_id: 'ghost', event_type: 'x' }), failure);
      assert.deepEqual(model.createWorkflowEvent({ run_id: 'r1', event_type: '' }), {
        ok: false,
        code: 'INVALID_INPUT',
      });
      assert.equal(model.listWorkflowEvents('r1', undefined).ok, true);
      assert.deepEqual(model.deleteWorkflowRun('r1'), { ok: true, value: true });
    });
  }
});

describe('the arguments themselves (WF-VAL-16)', () => {
  it('null in place of an argument object, or no patch, is INVALID_INPUT; omitted options are absent', () => {
    const model = modelWithRun('1.2');
    const refused = { ok: false, code: 'INVALID_INPUT' };
    assert.deepEqual(model.updateWorkflowRun('r1', null, undefined), refused);
    assert.deepEqual(model.updateWorkflowRun('r1', undefined, undefined), refused);
    assert.deepEqual(model.updateWorkflowRun('r1', { status: 'running' }, null), refused);
    assert.deepEqual(model.listWorkflowRuns(null), refused);
    assert.deepEqual(model.listWorkflowEvents('r1', null), refused);
    assert.equal(model.listWorkflowRuns(undefined).ok, true);
    assert.equal(model.updateWorkflowRun('r1', {}, undefined).ok, true);
  });
});

describe('contract 1.2: several events, expected metadata, fenced appends, pages', () => {
  const ok = <T>(outcome: { ok: boolean; value?: T }): T => {
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    return outcome.value as T;
  };

  it('numbers a list of events in its order, stamps them with updated_at, keeps the later output of a node', () => {
    const clock = new ManualClock();
    const model = modelWithRun('1.2', clock);
    ok(model.createWorkflowEvent({ run_id: 'r1', event_type: 'first' }, undefined));
    clock.advance(5);
    const events = [
      { event_type: 'node_completed', payload: { node_id: 'a', output: 1 } },
      { event_type: 'note' },
      { event_type: 'node_completed', payload: { node_id: 'a', output: 2 } },
    ];
    const run = ok(model.updateWorkflowRun('r1', { status: 'running' }, { events })) as { updated_at: string };
    const log = ok(model.listWorkflowEvents('r1', undefined)) as { sequence: number; timestamp: string }[];
    assert.deepEqual(
      log.map((e) => e.sequence),
      [1, 2, 3, 4],
    );
    assert.ok(log.slice(1).every((e) => e.timestamp === run.updated_at));
    assert.deepEqual(ok(model.getCompletedDagNodeOutputs('r1')), [['a', 2]]);
  });

  it('compares expected metadata as JSON values and names the first key that differs; an absent key is no null', () => {
    const model = modelWithRun('1.2');
    ok(model.updateWorkflowRun('r1', { metadata: { a: { x: 1, y: [1, 2] }, b: null } }, undefined));
    const conflict = (field: string) => ({ ok: false, code: 'STATUS_CONFLICT', field });
    const update = (expected_metadata: object, expected_status?: string) =>
      model.updateWorkflowRun('r1', { metadata: { c: 1 } }, { expected_metadata, expected_status });
    assert.deepEqual(update({ b: null, lease: null }), conflict('metadata.lease'));
    assert.deepEqual(update({ a: { x: 1, y: [2, 1] } }), conflict('metadata.a'));
    assert.deepEqual(update({ a: { x: 1, y: [1, 2] } }, 'running'), conflict('status'));
    assert.equal(update({ a: { y: [1, 2], x: 1 }, b: null }).ok, true);
  });

  it('fences appends by status and metadata, and before 1.2 names no field', () => {
    const model = modelWithRun('1.2');
    assert.deepEqual(
      model.createWorkflowEvent({ run_id: 'r1', event_type: 'x' }, { expected_metadata: { claim: 't1' } }),
      {
        ok: false,
        code: 'STATUS_CONFLICT',
        field: 'metadata.claim',
      },
    );
    assert.deepEqual(ok(model.listWorkflowEvents('r1', undefined)), []);
    assert.equal(model.createWorkflowEvent({ run_id: 'r1', event_type: 'x' }, { expected_status: 'pending' }).ok, true);
    const older = modelWithRun('1.1');
    assert.deepEqual(older.updateWorkflowRun('r1', { status: 'running' }, { expected_status: 'failed' }), {
      ok: false,
      code: 'STATUS_CONFLICT',
    });
  });

  it('pages newest first, strictly after the position, within strict bounds', () => {
    const clock = new ManualClock();
    const model = new StoreModel(clock.now, () => 'unused', '1.2');
    for (const id of ['a', 'b', 'c', 'd']) {
      ok(model.createWorkflowRun({ id, workflow_name: 'w', user_message: '' }));
      clock.advance(1);
    }
    const ids = (options: object) => (ok(model.listWorkflowRuns(options)) as { id: string }[]).map((r) => r.id);
    const c = model.positionOf('c')!;
    assert.deepEqual(ids({ order: 'desc' }), ['d', 'c', 'b', 'a']);
    assert.deepEqual(ids({ order: 'desc', after: c }), ['b', 'a']);
    assert.deepEqual(ids({ after: { ...c, id: 'c.' } }), ['d']);
    assert.deepEqual(ids({ created_after: model.positionOf('a')!.created_at, created_before: c.created_at }), ['b']);
  });
});

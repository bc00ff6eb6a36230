import assert from 'node:assert/strict';
import { it } from 'node:test';
import { JSON_MAX_BYTES, USER_MESSAGE_MAX_BYTES, WORKFLOW_NAME_MAX_LENGTH } from '../../src/contract/limits.js';
import type { JsonObject } from '../../src/contract/types.js';
import { hardJsonValue } from '../../src/harness/hard-json.js';
import { forEachBackend } from '../support/backends.js';
import { assertSameJson, rejectsWith } from '../support/assertions.js';

const BAD_IDS: [string, unknown][] = [
  ['".."', '..'],
  ['"../x"', '../x'],
  ['"a/b"', 'a/b'],
  ['"/abs"', '/abs'],
  ['"a\\\\b"', 'a\\b'],
  ['empty', ''],
  ['129 characters', 'a'.repeat(129)],
  ['".hidden"', '.hidden'],
  ['a number', 42],
];

function cycle(): JsonObject {
  const o: Record<string, unknown> = { a: 1 };
  o.self = { back: o };
  return o as JsonObject;
}

const NOT_JSON: [string, () => unknown][] = [
  ['a Date', () => new Date(0)],
  ['a BigInt', () => 10n],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['undefined', () => undefined],
  ['a function', () => () => 1],
  ['a Map', () => new Map()],
  [
    'a class instance',
    () =>
      new (class Point {
        x = 1;
      })(),
  ],
  ['a symbol', () => Symbol('s')],
];

const hardPayload = hardJsonValue;

forEachBackend('input', (ctx) => {
  const newRun = (id = 'r') => ctx().store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });

  for (const [label, id] of BAD_IDS) {
    it(`refuses run id ${label} with INVALID_INPUT on every operation, writing nothing`, async () => {
      const { store } = ctx();
      await rejectsWith(
        store.createWorkflowRun({ id: id as string, workflow_name: 'w', user_message: '' }),
        'INVALID_INPUT',
      );
      await rejectsWith(store.getWorkflowRun(id as string), 'INVALID_INPUT');
      await rejectsWith(store.updateWorkflowRun(id as string, { status: 'running' }), 'INVALID_INPUT');
      await rejectsWith(store.deleteWorkflowRun(id as string), 'INVALID_INPUT');
      await rejectsWith(store.createWorkflowEvent({ run_id: id as string, event_type: 'x' }), 'INVALID_INPUT');
      await rejectsWith(store.listWorkflowEvents(id as string), 'INVALID_INPUT');
      await rejectsWith(store.getCompletedDagNodeOutputs(id as string), 'INVALID_INPUT');
      assert.deepEqual(await store.listWorkflowRuns(), []);
    });
  }

  it('accepts a run id of exactly 128 characters', async () => {
    const id = 'A'.repeat(128);
    assert.equal((await newRun(id)).id, id);
    assert.equal((await ctx().store.getWorkflowRun(id))?.id, id);
  });

  for (const [label, make] of NOT_JSON) {
    it(`refuses ${label} inside a payload with INVALID_INPUT naming the path, appending nothing`, async () => {
      const { store } = ctx();
      await newRun();
      const error = await rejectsWith(
        store.createWorkflowEvent({
          run_id: 'r',
          event_type: 'x',
          payload: { ok: 1, nested: [0, { bad: make() }] } as never,
        }),
        'INVALID_INPUT',
      );
      assert.equal(error.field, 'payload.nested[1].bad');
      assert.deepEqual(await store.listWorkflowEvents('r'), []);
    });
  }

  it('refuses a cycle in a payload, a metadata object or a node output', async () => {
    const { store } = ctx();
    await newRun();
    await rejectsWith(store.createWorkflowEvent({ run_id: 'r', event_type: 'x', payload: cycle() }), 'INVALID_INPUT');
    await rejectsWith(
      store.createWorkflowEvent({
        run_id: 'r',
        event_type: 'node_completed',
        payload: { node_id: 'n', output: cycle() },
      }),
      'INVALID_INPUT',
    );
    await rejectsWith(store.updateWorkflowRun('r', { metadata: cycle() }), 'INVALID_INPUT');
    await rejectsWith(
      store.createWorkflowRun({ id: 'other', workflow_name: 'w', user_message: '', metadata: cycle() }),
      'INVALID_INPUT',
    );
    assert.deepEqual(await store.listWorkflowEvents('r'), []);
    assert.deepEqual((await store.getWorkflowRun('r'))?.metadata, {});
    assert.equal(await store.getWorkflowRun('other'), null);
  });

  it('a shared (non-cyclic) object may appear twice', async () => {
    await newRun();
    const shared = { v: 1 };
    const event = await ctx().store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'x',
      payload: { a: shared, b: shared },
    });
    assert.deepEqual(event.payload, { a: { v: 1 }, b: { v: 1 } });
  });

  it('refuses a payload or metadata that is not a plain object', async () => {
    const { store } = ctx();
    await newRun();
    for (const payload of [[], 'text', 1, null, new Date()]) {
      await rejectsWith(
        store.createWorkflowEvent({ run_id: 'r', event_type: 'x', payload: payload as never }),
        'INVALID_INPUT',
      );
    }
    await rejectsWith(
      store.createWorkflowRun({ id: 'm', workflow_name: 'w', user_message: '', metadata: [] as never }),
      'INVALID_INPUT',
    );
    assert.deepEqual(await store.listWorkflowEvents('r'), []);
  });

  for (const [label, text] of [
    ['NUL', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800b'],
  ] as const) {
    it(`refuses ${label} in user_message and workflow_name, creating nothing`, async () => {
      const { store } = ctx();
      const e1 = await rejectsWith(
        store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: text }),
        'INVALID_INPUT',
      );
      assert.equal(e1.field, 'user_message');
      const e2 = await rejectsWith(
        store.createWorkflowRun({ id: 'r', workflow_name: text, user_message: '' }),
        'INVALID_INPUT',
      );
      assert.equal(e2.field, 'workflow_name');
      assert.equal(await store.getWorkflowRun('r'), null);
      assert.deepEqual(await store.listWorkflowRuns(), []);
    });
  }

  it('a payload with unicode, NUL and lone surrogates in strings, deep nesting, integer-like keys and 1 MiB of text round-trips, key order included', async () => {
    const { store } = ctx();
    await newRun();
    const payload = hardPayload();
    const returned = await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: payload, ...payload },
    });
    const [listed] = await store.listWorkflowEvents('r');
    assertSameJson(listed!.payload, { node_id: 'n', output: payload, ...payload });
    assertSameJson(returned.payload, listed!.payload);
    assertSameJson((await store.getCompletedDagNodeOutputs('r')).get('n'), payload);
    assert.equal(Object.is((listed!.payload.a as number[])[1], 0), true, '-0 comes back as 0');
  });

  it('metadata with the same hard corners round-trips through create and update', async () => {
    const { store } = ctx();
    const metadata = hardPayload();
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: 'é\u{1F600}', metadata });
    assertSameJson((await store.getWorkflowRun('r'))?.metadata, metadata);
    await store.updateWorkflowRun('r', { metadata: { nul: 'changed\u0000', added: '\udfff' } });
    assertSameJson((await store.getWorkflowRun('r'))?.metadata, { ...metadata, nul: 'changed\u0000', added: '\udfff' });
    assert.equal((await store.getWorkflowRun('r'))?.user_message, 'é\u{1F600}');
  });

  it('a "__proto__" key is kept as a plain key, not a prototype', async () => {
    const { store } = ctx();
    await newRun();
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as JsonObject;
    const event = await store.createWorkflowEvent({ run_id: 'r', event_type: 'x', payload });
    const [listed] = await store.listWorkflowEvents('r');
    for (const p of [event.payload, listed!.payload]) {
      assert.deepEqual(Object.keys(p), ['__proto__', 'x']);
      assert.equal(Object.getPrototypeOf(p), Object.prototype);
      assert.equal((p as { polluted?: boolean }).polluted, undefined);
    }
  });

  it('limits: workflow_name up to 256 code units, user_message up to 1 MiB, one JSON value up to 16 MiB', async () => {
    const { store } = ctx();
    await store.createWorkflowRun({
      id: 'ok',
      workflow_name: 'n'.repeat(WORKFLOW_NAME_MAX_LENGTH),
      user_message: 'm'.repeat(USER_MESSAGE_MAX_BYTES),
    });
    await rejectsWith(
      store.createWorkflowRun({ id: 'a', workflow_name: 'n'.repeat(WORKFLOW_NAME_MAX_LENGTH + 1), user_message: '' }),
      'INVALID_INPUT',
    );
    await rejectsWith(store.createWorkflowRun({ id: 'b', workflow_name: '', user_message: '' }), 'INVALID_INPUT');
    // 2 bytes a character in UTF-8: half the count fits, one more does not.
    await rejectsWith(
      store.createWorkflowRun({
        id: 'c',
        workflow_name: 'w',
        user_message: 'é'.repeat(USER_MESSAGE_MAX_BYTES / 2 + 1),
      }),
      'INVALID_INPUT',
    );
    await rejectsWith(
      store.createWorkflowEvent({ run_id: 'ok', event_type: 'x', payload: { big: 'x'.repeat(JSON_MAX_BYTES) } }),
      'INVALID_INPUT',
    );
    const fits = JSON_MAX_BYTES - '{"big":""}'.length;
    await store.createWorkflowEvent({ run_id: 'ok', event_type: 'x', payload: { big: 'x'.repeat(fits) } });
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['ok'],
    );
    assert.equal((await store.listWorkflowEvents('ok')).length, 1);
  });

  it('event types: letters, digits and . _ : -, 1 to 128 characters', async () => {
    const { store } = ctx();
    await newRun();
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'custom:step.done_ok-1' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'e'.repeat(128) });
    for (const event_type of ['', 'has space', 'slash/no', 'e'.repeat(129), 'ünï']) {
      await rejectsWith(store.createWorkflowEvent({ run_id: 'r', event_type }), 'INVALID_INPUT');
    }
    assert.equal((await store.listWorkflowEvents('r')).length, 2);
  });

  it('input objects are closed: an unknown field is refused, never ignored', async () => {
    const { store } = ctx();
    await newRun();
    const e1 = await rejectsWith(
      store.createWorkflowRun({ id: 'x', workflow_name: 'w', user_message: '', userMessage: 'typo' } as never),
      'INVALID_INPUT',
    );
    assert.match(e1.message, /userMessage/);
    await rejectsWith(
      store.createWorkflowEvent({ run_id: 'r', event_type: 'x', runId: 'r' } as never),
      'INVALID_INPUT',
    );
    await rejectsWith(store.listWorkflowEvents('r', { afterSequence: 1 } as never), 'INVALID_INPUT');
    await rejectsWith(store.listWorkflowRuns({ state: 'running' } as never), 'INVALID_INPUT');
    assert.equal(await store.getWorkflowRun('x'), null);
    assert.deepEqual(await store.listWorkflowEvents('r'), []);
  });

  it('optional fields may be undefined', async () => {
    const { store } = ctx();
    const run = await store.createWorkflowRun({
      id: 'u',
      workflow_name: 'w',
      user_message: '',
      status: undefined,
      metadata: undefined,
    });
    assert.equal(run.status, 'pending');
    const event = await store.createWorkflowEvent({ run_id: 'u', event_type: 'x', payload: undefined });
    assert.deepEqual(event.payload, {});
    assert.equal((await store.listWorkflowEvents('u', { after_sequence: undefined, limit: undefined })).length, 1);
  });

  it('refuses bad list options: negative or fractional limits and sequences, unknown statuses', async () => {
    const { store } = ctx();
    await newRun();
    for (const options of [{ limit: -1 }, { limit: 1.5 }, { after_sequence: -1 }, { after_sequence: NaN }]) {
      await rejectsWith(store.listWorkflowEvents('r', options), 'INVALID_INPUT');
    }
    await rejectsWith(store.listWorkflowRuns({ status: 'done' as never }), 'INVALID_INPUT');
    await rejectsWith(store.listWorkflowRuns({ limit: -5 }), 'INVALID_INPUT');
  });
});

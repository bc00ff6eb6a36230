// The validation module on its own: no store, no I/O.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../src/backends/memory/index.js';
import { WorkflowStoreError } from '../../src/contract/errors.js';
import { JSON_MAX_BYTES, JSON_MAX_DEPTH } from '../../src/contract/limits.js';
import {
  checkJson,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseUpdateRun,
  serializeJson,
  snapshotJson,
  validateEventType,
  validateId,
  validateText,
  validateTimestamp,
} from '../../src/contract/validation.js';
import { rejectsWith } from '../support/assertions.js';

function refusal(fn: () => unknown): WorkflowStoreError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WorkflowStoreError, `expected a WorkflowStoreError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    return error;
  }
  assert.fail('expected INVALID_INPUT, but the input was accepted');
}

describe('validateId', () => {
  it('accepts identifiers of 1 to 128 characters of [A-Za-z0-9._-] starting alphanumeric', () => {
    for (const id of ['a', 'A', '0', 'run-1', 'a.b_c-d', 'x'.repeat(128), '9..'])
      assert.equal(validateId(id, 'id'), id);
  });
  it('refuses path-like, empty, too long and non-string ids, naming the field', () => {
    for (const id of [
      '',
      '.',
      '..',
      '../x',
      'a/b',
      '/abs',
      'a\\b',
      '-a',
      '_a',
      '.a',
      'a b',
      'é',
      'x'.repeat(129),
      'a\u0000',
      null,
      1,
      {},
    ]) {
      assert.equal(refusal(() => validateId(id, 'run_id')).field, 'run_id', JSON.stringify(id));
    }
  });
});

describe('validateTimestamp', () => {
  it('refuses a month 13 and 30 February as INVALID_INPUT, where Date throws or rolls over', () => {
    for (const value of ['2026-13-01T01:11:00.000Z', '2026-02-30T00:00:00.000Z', '2026-01-01T24:00:00.000Z']) {
      assert.throws(
        () => validateTimestamp(value, 'options.created_after'),
        (e: unknown) =>
          e instanceof WorkflowStoreError && e.code === 'INVALID_INPUT' && e.field === 'options.created_after',
        value,
      );
    }
    assert.equal(validateTimestamp('2026-03-01T00:00:00.000Z', 't'), '2026-03-01T00:00:00.000Z');
  });
});

describe('validateText', () => {
  it('accepts well-formed text including astral characters', () => {
    assert.equal(validateText('héllo 🎉', 'f', {}), 'héllo 🎉');
  });
  it('refuses NUL, lone surrogates, non-strings and out-of-bounds lengths', () => {
    assert.match(refusal(() => validateText('a\u0000', 'f', {})).message, /NUL/);
    assert.match(refusal(() => validateText('\ud800', 'f', {})).message, /surrogate/);
    assert.match(refusal(() => validateText('\udfff\ud800', 'f', {})).message, /surrogate/);
    refusal(() => validateText(5, 'f', {}));
    refusal(() => validateText('', 'f', { minLength: 1 }));
    refusal(() => validateText('abc', 'f', { maxLength: 2 }));
    refusal(() => validateText('éé', 'f', { maxBytes: 3 }));
    assert.equal(validateText('é', 'f', { maxBytes: 2 }), 'é');
  });
});

describe('validateEventType', () => {
  it('accepts [A-Za-z0-9._:-], 1 to 128 characters', () => {
    for (const t of ['a', 'node_completed', 'x:y.z-1', 'e'.repeat(128)]) assert.equal(validateEventType(t), t);
    for (const t of ['', ' ', 'a b', 'a/b', 'e'.repeat(129), 1]) refusal(() => validateEventType(t));
  });
});

describe('checkJson', () => {
  it('accepts JSON values, shared sub-objects and null-prototype objects', () => {
    const shared = { a: 1 };
    checkJson({ s: 'x\u0000\ud800', n: -0, b: true, z: null, arr: [1, [2, [3]]], x: shared, y: shared }, 'v');
    checkJson(Object.assign(Object.create(null) as object, { a: 1 }), 'v');
  });

  const cases: [string, unknown, string][] = [
    ['undefined', { a: undefined }, 'v.a'],
    ['a function', { a: () => 1 }, 'v.a'],
    ['a symbol', [Symbol('x')], 'v[0]'],
    ['a BigInt', { n: 1n }, 'v.n'],
    ['NaN', { n: NaN }, 'v.n'],
    ['-Infinity', { n: -Infinity }, 'v.n'],
    ['a Date', { d: new Date() }, 'v.d'],
    ['a Map', { m: new Map() }, 'v.m'],
    ['a Set', { m: new Set() }, 'v.m'],
    ['a RegExp', { r: /x/ }, 'v.r'],
    ['a Buffer', { b: Buffer.from('x') }, 'v.b'],
    ['a boxed string', { s: new String('x') }, 'v.s'],
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    ['a sparse array', { a: [1, , 3] }, 'v.a[1]'],
    ['a key with a space', { 'odd key': { d: new Date() } }, 'v["odd key"].d'],
  ];
  for (const [label, value, path] of cases) {
    it(`refuses ${label}, naming the path ${path}`, () => {
      assert.equal(refusal(() => checkJson(value, 'v')).field, path);
    });
  }

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.b = [a];
    assert.match(refusal(() => checkJson(a, 'v')).message, /cycle/);
  });

  it('refuses accessors and symbol keys, which JSON.stringify would silently run or drop', () => {
    refusal(() => checkJson(Object.defineProperty({}, 'x', { get: undefined, enumerable: true }), 'v'));
    refusal(() => checkJson(Object.defineProperty({}, 'x', { get: () => 1, enumerable: true }), 'v'));
    refusal(() => checkJson({ [Symbol('k')]: 1 }, 'v'));
  });

  it(`accepts nesting to ${JSON_MAX_DEPTH} levels and refuses one more`, () => {
    const nest = (depth: number) => {
      let v: unknown = 0;
      for (let i = 0; i < depth; i++) v = [v];
      return v;
    };
    checkJson(nest(JSON_MAX_DEPTH), 'v');
    assert.match(refusal(() => checkJson(nest(JSON_MAX_DEPTH + 1), 'v')).message, /deeper/);
  });
});

describe('serializeJson', () => {
  it('returns the JSON text and measures it in UTF-8 bytes', () => {
    assert.equal(serializeJson({ b: 1, a: [-0] }, 'v'), '{"b":1,"a":[0]}');
    const fits = 'é'.repeat((JSON_MAX_BYTES - 2) / 2);
    assert.equal(serializeJson(fits, 'v').length, fits.length + 2);
    refusal(() => serializeJson(fits + 'x', 'v'));
  });
});

describe('operation inputs', () => {
  it('parseCreateRun fills defaults and refuses unknown fields', () => {
    assert.deepEqual(parseCreateRun({ workflow_name: 'w', user_message: '' }), {
      id: undefined,
      workflow_name: 'w',
      user_message: '',
      status: 'pending',
      metadataJson: '{}',
    });
    assert.equal(
      refusal(() => parseCreateRun({ workflow_name: 'w', user_message: '', extra: 1 })).field,
      'input.extra',
    );
    refusal(() => parseCreateRun(null));
    refusal(() => parseCreateRun({ workflow_name: 'w' }));
  });

  it('parseCreateEvent extracts the node output of node_completed, default null', () => {
    assert.deepEqual(parseCreateEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n' } }).node, {
      node_id: 'n',
      outputJson: 'null',
    });
    assert.deepEqual(
      parseCreateEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'n', output: { a: 1 } } }).node,
      {
        node_id: 'n',
        outputJson: '{"a":1}',
      },
    );
    assert.equal(
      parseCreateEvent({ run_id: 'r', event_type: 'node_started', payload: { node_id: '../x' } }).node,
      undefined,
    );
    assert.equal(
      refusal(() => parseCreateEvent({ run_id: 'r', event_type: 'node_completed', payload: {} })).field,
      'payload.node_id',
    );
  });

  it('parseUpdateRun copies the metadata patch and checks options', () => {
    const patch = { metadata: { a: [1] } };
    const request = parseUpdateRun('r', patch, { expected_status: 'failed' });
    patch.metadata.a.push(2);
    assert.deepEqual(request.metadata, { a: [1] });
    assert.equal(request.expected_status, 'failed');
    assert.equal(refusal(() => parseUpdateRun('r', {}, { expected_status: 'done' })).field, 'options.expected_status');
  });

  it('parseListEvents checks after_sequence and limit', () => {
    assert.deepEqual(parseListEvents('r', undefined), { run_id: 'r', after_sequence: 0, limit: undefined });
    refusal(() => parseListEvents('r', { limit: 2 ** 60 }));
    refusal(() => parseListEvents('r', { after_sequence: '1' }));
  });
});

// ---------------------------------------------------------------------------------------------
// Snapshots: input is read once, through property descriptors, into a plain copy. No getter and no
// Proxy trap ever runs, so nothing can change between validation and storage.

/** Counts the calls of every function it hands out: a getter or a Proxy handler that must never run. */
class Tripwire {
  calls = 0;
  getter(value: unknown): () => unknown {
    return () => {
      this.calls++;
      return value;
    };
  }
  /** A Proxy handler whose every trap counts, then does what no handler would. */
  handler<T extends object>(): ProxyHandler<T> {
    const traps = [
      'get',
      'set',
      'has',
      'ownKeys',
      'getOwnPropertyDescriptor',
      'getPrototypeOf',
      'defineProperty',
      'deleteProperty',
      'isExtensible',
      'preventExtensions',
      'setPrototypeOf',
      'apply',
      'construct',
    ] as const;
    const handler: ProxyHandler<T> = {};
    for (const trap of traps) {
      (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
        this.calls++;
        return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
      };
    }
    return handler;
  }
}

/** An array whose element `index` is a getter. */
function withGetter(values: unknown[], index: number, get: () => unknown): unknown[] {
  return Object.defineProperty([...values], index, { get, enumerable: true, configurable: true });
}

describe('snapshots: JSON is read once, through descriptors', () => {
  it('refuses a getter on an array element inside a node output, naming payload.output', () => {
    const wire = new Tripwire();
    const payload = { node_id: 'n', output: { rows: withGetter([{ a: 1 }], 0, wire.getter({ a: 1 })) } };
    const error = refusal(() => parseCreateEvent({ run_id: 'r', event_type: 'node_completed', payload }));
    assert.equal(error.field, 'payload.output.rows[0]');
    assert.match(error.message, /^payload\.output\.rows\[0\]: .*accessor/);
    assert.equal(wire.calls, 0);
  });

  it(
    'a getter that changes its value between reads is INVALID_INPUT, ' + 'not BACKEND_FAILURE, and nothing is written',
    async () => {
      const store = await createMemoryStore();
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      let calls = 0;
      // JSON the first time it is read, a BigInt (which JSON.stringify throws on) every time after.
      const output = withGetter([1], 0, () => (calls++ === 0 ? 1 : 10n));
      const call = store.createWorkflowEvent({
        run_id: 'r',
        event_type: 'node_completed',
        payload: { node_id: 'n', output } as never,
      });
      assert.equal((await rejectsWith(call, 'INVALID_INPUT')).field, 'payload.output[0]');
      assert.equal(calls, 0);
      assert.deepEqual(await store.listWorkflowEvents('r'), []);
      assert.equal((await store.getCompletedDagNodeOutputs('r')).size, 0);
      await store.close();
    },
  );

  it('refuses extra array keys that only look like indices, and symbol keys on arrays', () => {
    const big = Object.assign([1], { '4294967295': 1 });
    assert.equal(refusal(() => checkJson({ a: big }, 'v')).field, 'v.a["4294967295"]');
    const leading = Object.assign([1], { '01': 1 });
    assert.equal(refusal(() => checkJson({ a: leading }, 'v')).field, 'v.a["01"]');
    const symbol = Object.assign([1], { [Symbol('s')]: 1 });
    assert.match(refusal(() => checkJson({ a: symbol }, 'v')).message, /^v\.a: has symbol keys/);
  });

  // A named non-enumerable property on an array: validation.feature.
  it('refuses a non-enumerable element of an array', () => {
    const element = Object.defineProperty([1, 2], 1, { value: 2, enumerable: false });
    assert.match(
      refusal(() => checkJson({ list: element }, 'payload')).message,
      /^payload\.list\[1\]: is not enumerable/,
    );
  });

  // A Proxy object or array inside a payload: validation.feature.
  it('refuses a Proxy as the whole payload without running any of its traps', () => {
    const wire = new Tripwire();
    const payload = new Proxy({ a: 1 }, wire.handler());
    const error = refusal(() => parseCreateEvent({ run_id: 'r', event_type: 'x', payload }));
    assert.equal(error.field, 'payload');
    assert.match(error.message, /a Proxy/);
    assert.equal(wire.calls, 0);
  });

  it('refuses a Proxy around a function or behind an object with a Proxy prototype, running nothing', () => {
    const wire = new Tripwire();
    refusal(() => checkJson({ f: new Proxy(() => 1, wire.handler()) }, 'v'));
    const behind = Object.create(new Proxy({}, wire.handler())) as object;
    assert.match(refusal(() => checkJson({ behind }, 'v')).message, /an object is not JSON/);
    assert.equal(wire.calls, 0);
  });

  it('describes a class instance by its constructor without running a getter on its prototype', () => {
    const wire = new Tripwire();
    const proto = Object.defineProperty({}, 'constructor', { get: wire.getter(Date), enumerable: false });
    assert.match(refusal(() => checkJson({ odd: Object.create(proto) }, 'v')).message, /v\.odd: an object is not JSON/);
    assert.equal(wire.calls, 0);
  });

  it('returns a plain copy: "__proto__" stays an own key, -0 is kept until serialized, sharing is undone', () => {
    const shared = { n: -0 };
    const source = JSON.parse('{"__proto__": {"polluted": true}, "list": [1, {"x": null}]}') as Record<string, unknown>;
    source.a = shared;
    source.b = shared;
    const copy = snapshotJson(source, 'v') as Record<string, unknown>;
    assert.deepEqual(Object.keys(copy), ['__proto__', 'list', 'a', 'b']);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.equal((copy as { polluted?: unknown }).polluted, undefined);
    assert.notEqual(copy.list, source.list);
    assert.notEqual(copy.a, copy.b);
    assert.ok(Object.is((copy.a as { n: number }).n, -0));
    assert.equal(
      serializeJson(source, 'v'),
      '{"__proto__":{"polluted":true},"list":[1,{"x":null}],"a":{"n":0},"b":{"n":0}}',
    );
  });
});

describe('snapshots: operation inputs are read once, through descriptors', () => {
  it('refuses an accessor on the input object itself without running it', () => {
    const wire = new Tripwire();
    const input = Object.defineProperty({ run_id: 'r', event_type: 'x' }, 'payload', {
      get: wire.getter({ a: 1 }),
      enumerable: true,
    });
    const error = refusal(() => parseCreateEvent(input));
    assert.equal(error.field, 'input.payload');
    assert.match(error.message, /accessor/);
    const patch = Object.defineProperty({}, 'metadata', { get: wire.getter({ a: 1 }), enumerable: true });
    assert.equal(refusal(() => parseUpdateRun('r', patch, undefined)).field, 'patch.metadata');
    const options = Object.defineProperty({}, 'limit', { get: wire.getter(1), enumerable: true });
    assert.equal(refusal(() => parseListEvents('r', options)).field, 'options.limit');
    assert.equal(wire.calls, 0);
  });

  it('refuses a non-enumerable field and symbol keys on an input object', () => {
    const hidden = Object.defineProperty({ workflow_name: 'w' }, 'user_message', { value: '', enumerable: false });
    assert.equal(refusal(() => parseCreateRun(hidden)).field, 'input.user_message');
    assert.equal(
      refusal(() => parseCreateRun({ workflow_name: 'w', user_message: '', [Symbol('s')]: 1 })).field,
      'input',
    );
  });

  it('refuses a Proxy or an accessor as input at the store: nothing of it runs, nothing is written', async () => {
    const wire = new Tripwire();
    const input = new Proxy({ id: 'r', workflow_name: 'w', user_message: '' }, wire.handler());
    assert.equal(refusal(() => parseCreateRun(input)).field, 'input');
    const store = await createMemoryStore();
    for (const call of [
      () => store.createWorkflowRun(input),
      () => store.createWorkflowEvent(new Proxy({ run_id: 'r', event_type: 'x' }, wire.handler())),
      () => store.updateWorkflowRun('r', new Proxy({ status: 'running' as const }, wire.handler())),
      () => store.listWorkflowRuns(new Proxy({}, wire.handler())),
    ]) {
      assert.match((await rejectsWith(call(), 'INVALID_INPUT')).message, /Proxy/);
    }
    // The store names the run of a failed call: it must not read the id off the input to do so.
    const withIdGetter = Object.defineProperty({ workflow_name: 'w', user_message: '' }, 'id', {
      get: wire.getter('r'),
      enumerable: true,
    });
    const error = await rejectsWith(store.createWorkflowRun(withIdGetter as never), 'INVALID_INPUT');
    assert.equal(error.field, 'input.id');
    assert.equal(wire.calls, 0);
    assert.deepEqual(await store.listWorkflowRuns(), []);
    await store.close();
  });
});

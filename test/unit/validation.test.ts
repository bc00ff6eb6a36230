// The validation module on its own: no store, no I/O.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowStoreError } from '../../src/contract/errors.js';
import { JSON_MAX_BYTES, JSON_MAX_DEPTH } from '../../src/contract/limits.js';
import {
  checkJson,
  parseCreateEvent,
  parseCreateRun,
  parseListEvents,
  parseUpdateRun,
  serializeJson,
  validateEventType,
  validateId,
  validateText,
} from '../../src/contract/validation.js';

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

// The events.jsonl line format on its own: every event shape written, stored as UTF-8, read back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { eventFromRequest } from '../../../src/backends/define-store.js';
import { crc32Portable } from '../../../src/backends/filesystem/files/checksum.js';
import { scanLines } from '../../../src/backends/filesystem/log/check.js';
import {
  completeLines,
  completionOf,
  eventLine,
  LINE_END,
  parseEventLine,
  sequenceOfLine,
} from '../../../src/backends/filesystem/log/line-format.js';
import type { JsonValue } from '../../../src/contract/types.js';
import { parseCreateEvent } from '../../../src/contract/validation.js';

// What a pre-filter by substring would look for, and a whole line head, hidden in payload strings.
const FAKE_TYPE = '"event_type":"node_completed"';
const FAKE_HEAD = '{"run_id":"r","sequence":7,"event_type":"node_completed","timestamp":"x","payload":{"node_id":"n"}}';
const AWKWARD = ['\u2028', '\u2029', '\ud800', '\udfff', 'a\udc00b', '\n\r\t', FAKE_TYPE, FAKE_HEAD, '\u0000', '"}\n{'];

const EVENTS: { event_type: string; payload?: Record<string, JsonValue> }[] = [
  { event_type: 'run_started' },
  { event_type: 'x', payload: {} },
  { event_type: 'log', payload: { text: FAKE_TYPE } },
  { event_type: 'log', payload: { [FAKE_TYPE]: FAKE_HEAD, nested: [{ deep: FAKE_HEAD }] } },
  { event_type: 'node_completed:retry', payload: { node_id: 'n', output: 1 } },
  { event_type: 'x.node_completed', payload: { node_id: 'n', output: 1 } },
  { event_type: 'node_failed', payload: { node_id: 'n', error: FAKE_TYPE } },
  ...AWKWARD.map((text) => ({ event_type: 'awkward', payload: { [text]: text, list: [text, { text }] } })),
  { event_type: 'node_completed', payload: { node_id: 'plain', output: { rows: 42 } } },
  { event_type: 'node_completed', payload: { node_id: 'no-output' } },
  { event_type: 'node_completed', payload: { node_id: 'null-output', output: null } },
  { event_type: 'node_completed', payload: { output: FAKE_HEAD, node_id: 'output-first' } },
  { event_type: 'node_completed', payload: { node_id: 'text', output: FAKE_TYPE, note: FAKE_HEAD } },
  ...AWKWARD.map((text, i) => ({ event_type: 'node_completed', payload: { node_id: `awkward-${i}`, output: text } })),
  // Node ids that read as JSON values: nothing may parse an id as JSON.
  ...['null', 'true', 'false', '0', '1.5', '1e999', '9007199254740993', '0x10'].map((node_id) => ({
    event_type: 'node_completed',
    payload: { node_id, output: node_id },
  })),
  { event_type: 'node_completed', payload: JSON.parse('{"__proto__":{"polluted":1},"node_id":"proto","output":[]}') },
];

const timestamp = '2026-11-25T18:54:26.304Z';
const requests = EVENTS.map((event) => parseCreateEvent({ run_id: 'run-1', ...event }));
const bytes = Buffer.concat(requests.map((request, i) => eventLine(request, i + 1, timestamp)));
// What is read back is what the bytes on disk decode to.
const lines = completeLines(bytes.toString('utf8'));

describe('the events.jsonl line format', () => {
  it('writes one line per event, each ending with "\\n" and no other "\\n"', () => {
    assert.equal(lines.length, requests.length);
    assert.equal(bytes.filter((byte) => byte === LINE_END).length, requests.length);
    assert.equal(bytes.at(-1), LINE_END);
  });

  it('reads every event back exactly as stored: JSON.stringify of the event, then its checksum', () => {
    requests.forEach((request, i) => {
      const event = eventFromRequest(request, i + 1, timestamp);
      assert.deepEqual(parseEventLine(lines[i]!), event, EVENTS[i]!.event_type);
      assert.match(lines[i]!, /,"crc":"[0-9a-f]{8}"\}$/);
      assert.equal(lines[i]!.replace(/,"crc":"[0-9a-f]{8}"\}$/, '}'), JSON.stringify(event));
      assert.equal(sequenceOfLine(lines[i]!), i + 1);
    });
  });

  it('recognises exactly the node_completed lines, whatever the payloads contain', () => {
    requests.forEach((request, i) => {
      const completion = completionOf(lines[i]!);
      if (request.node === undefined) {
        assert.equal(completion, undefined, `line ${i + 1} (${request.event_type}) is no completion`);
        return;
      }
      assert.deepEqual(completion, {
        node_id: request.node.node_id,
        sequence: i + 1,
        output: JSON.parse(request.node.outputJson) as JsonValue,
      });
    });
    const completed = requests.filter((request) => request.node !== undefined).length;
    assert.equal(lines.filter((line) => completionOf(line) !== undefined).length, completed);
  });

  it('reads lines of another shape (other key order, spaces) by parsing them whole', () => {
    const reordered = JSON.stringify({
      payload: { node_id: 'n', output: FAKE_TYPE },
      timestamp,
      event_type: 'node_completed',
      sequence: 4,
      run_id: 'r',
    });
    assert.deepEqual(completionOf(reordered), { node_id: 'n', sequence: 4, output: FAKE_TYPE });
    assert.equal(sequenceOfLine(reordered), 4);
    const spaced = JSON.stringify(JSON.parse(reordered), null, 1).replaceAll('\n', '');
    assert.deepEqual(completionOf(spaced), { node_id: 'n', sequence: 4, output: FAKE_TYPE });
    const other = JSON.stringify({ sequence: 5, event_type: 'log', payload: { text: FAKE_HEAD } });
    assert.equal(completionOf(other), undefined);
  });

  it('has no sequence in a line without a valid one', () => {
    for (const line of ['{}', '5', 'null', '{"sequence":0}', '{"sequence":1.5}', '{"sequence":"3"}'])
      assert.equal(sequenceOfLine(line), undefined, line);
  });

  it('drops a torn last line', () => {
    assert.deepEqual(completeLines(`${lines[0]}\n${lines[1]!.slice(0, 10)}`), [lines[0]]);
    assert.deepEqual(completeLines(''), []);
  });
});

describe('checksums', () => {
  it('the portable CRC-32 (for Node 20 before 20.15) is zlib’s', () => {
    for (const text of ['', 'a', '123456789', '€😀\u0000', 'x'.repeat(10_000)]) {
      const bytes = Buffer.from(text, 'utf8');
      assert.equal(crc32Portable(bytes), zlib.crc32(bytes), text.slice(0, 20));
    }
    assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926); // the standard check value
  });

  it('finds a changed byte, a missing checksum and a line of another run or sequence', () => {
    assert.equal(scanLines('run-1', bytes).lastSequence, requests.length);
    for (const at of [0, 40, bytes.indexOf('"payload"') + 12]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 0x01;
      assert.throws(() => scanLines('run-1', changed), { name: 'RunDamage', message: /^events\.jsonl line 1: / });
    }
    const plain = Buffer.from(`${JSON.stringify(eventFromRequest(requests[0]!, 1, timestamp))}\n`);
    assert.throws(() => scanLines('run-1', plain), { message: /line 1: it does not end with its checksum/ });
    assert.throws(() => scanLines('run-2', bytes), { message: /line 1: it is not an event line of this run/ });
    assert.throws(() => scanLines('run-1', bytes, { firstSequence: 2 }), {
      message: /line 2: it holds sequence 1 where sequence 2 belongs/,
    });
    const torn = Buffer.concat([bytes, bytes.subarray(0, 30)]);
    assert.deepEqual(scanLines('run-1', torn).end, bytes.length, 'a torn last line is not a line');
  });
});

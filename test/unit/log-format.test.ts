// The events.jsonl line format on its own: every event shape written, stored as UTF-8, read back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventFromRequest } from '../../src/backends/define-store.js';
import {
  completeLines,
  completionOf,
  eventLine,
  LINE_END,
  parseEventLine,
  sequenceOfLine,
} from '../../src/backends/filesystem/log-format.js';
import type { JsonValue } from '../../src/contract/types.js';
import { parseCreateEvent } from '../../src/contract/validation.js';

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
const text = requests.map((request, i) => eventLine(request, i + 1, timestamp)).join('');
// What is read back is what the bytes on disk decode to.
const lines = completeLines(Buffer.from(text, 'utf8').toString('utf8'));

describe('the events.jsonl line format', () => {
  it('writes one line per event, each ending with "\\n" and no other "\\n"', () => {
    assert.equal(lines.length, requests.length);
    const bytes = Buffer.from(text, 'utf8');
    assert.equal(bytes.filter((byte) => byte === LINE_END).length, requests.length);
    assert.equal(bytes.at(-1), LINE_END);
  });

  it('reads every event back exactly as stored: JSON.stringify of the event, the same text', () => {
    requests.forEach((request, i) => {
      const event = eventFromRequest(request, i + 1, timestamp);
      assert.deepEqual(parseEventLine(lines[i]!), event, EVENTS[i]!.event_type);
      assert.equal(lines[i], JSON.stringify(event));
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

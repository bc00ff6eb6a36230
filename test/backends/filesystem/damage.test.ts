// The filesystem backend under damage and faults (WF-DUR-2, WF-UPD-4, WF-FS-1): each kind of damage found
// by reads and writes and named; nothing written by refused calls or by reads that cannot write; a format
// marker; verify; and what readers in another process may see while a run changes.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fsSync, { promises as fs } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import { createFilesystemStore, verifyFilesystemStore } from '../../../src/backends/filesystem/index.js';
import { eventLine } from '../../../src/backends/filesystem/log/line-format.js';
import { sealRecord } from '../../../src/backends/filesystem/log/seal.js';
import { parseView, viewText } from '../../../src/backends/filesystem/view/view.js';
import { filesystem } from '../../../src/backends/filesystem/descriptor.js';
import { JSON_MAX_BYTES } from '../../../src/contract/limits.js';
import type { IWorkflowStore } from '../../../src/contract/types.js';
import { parseCreateEvent } from '../../../src/contract/validation.js';
import { ManualClock } from '../../../src/conformance/support/clock.js';
import { refusedAtOpen, rejectsWith } from '../../support/assertions.js';

/** Every file and directory under `dir`, with a hash of each file's bytes: two equal snapshots, nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await fs.readdir(dir, { recursive: true })).sort()) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file);
    entries[name] = stat.isDirectory()
      ? 'dir'
      : createHash('sha256')
          .update(await fs.readFile(file))
          .digest('hex');
  }
  return entries;
}

/** The call fails with STORE_CORRUPTED naming the run and the place. */
async function corrupted(call: Promise<unknown>, runId: string, where: string | RegExp): Promise<void> {
  const error = await rejectsWith(call, 'STORE_CORRUPTED');
  assert.equal(error.runId, runId);
  assert.match(error.message, new RegExp(`workflow run "${runId}" is damaged`));
  if (typeof where === 'string') assert.ok(error.message.includes(where), `"${where}" in: ${error.message}`);
  else assert.match(error.message, where);
}

const completion = (runId: string, nodeId: string, output: unknown) => ({
  run_id: runId,
  event_type: 'node_completed',
  payload: { node_id: nodeId, output: output as never },
});

let root: string;
let n = 0;
before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-damage-'))));
after(async () => fs.rm(root, { recursive: true, force: true }));

describe('damage is detected, named, and never hidden (WF-DUR-2)', () => {
  let dir: string;
  let store: IWorkflowStore;
  const file = (...parts: string[]) => path.join(dir, ...parts);
  const reopen = async () => {
    await store.close();
    store = await createFilesystemStore({ artifactsDir: dir });
  };

  beforeEach(async () => {
    dir = path.join(root, `damage-${++n}`);
    store = await createFilesystemStore({ artifactsDir: dir });
    // "r" has 12 events: 4 node completions among them; "ok" is another run, never damaged.
    for (const id of ['r', 'ok']) {
      await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
      for (let i = 1; i <= 12; i++) {
        await store.createWorkflowEvent(
          i % 3 === 0
            ? completion(id, `n${i}`, { i, text: 'été €' })
            : { run_id: id, event_type: 'tick', payload: { i } },
        );
      }
    }
    await store.getCompletedDagNodeOutputs('r');
    await reopen(); // a run at rest: its view and node files written
  });
  afterEach(async () => store.close());

  /**
   * Every read and write of "r" fails naming `where` — the outputs read only when `outputs` (it reads the
   * nodes' latest completions and the tail, not the whole log) —; the log is left as it is; "ok" works.
   */
  async function detectedEverywhere(where: string | RegExp, { outputs = true } = {}): Promise<void> {
    await reopen();
    const log = await fs.readFile(file('r', 'events.jsonl'));
    await corrupted(store.listWorkflowEvents('r'), 'r', where);
    if (outputs) await corrupted(store.getCompletedDagNodeOutputs('r'), 'r', where);
    await corrupted(store.createWorkflowEvent({ run_id: 'r', event_type: 'next' }), 'r', where);
    await corrupted(
      store.updateWorkflowRun('r', { status: 'running' }, { event: { event_type: 'claimed' } }),
      'r',
      where,
    );
    await corrupted(store.updateWorkflowRun('r', { metadata: { a: 1 } }), 'r', where);
    assert.deepEqual(await fs.readFile(file('r', 'events.jsonl')), log, 'never renumbered, never rewritten');
    assert.equal((await store.listWorkflowEvents('ok')).length, 12, 'another run is unaffected');
    assert.equal((await store.createWorkflowEvent({ run_id: 'ok', event_type: 'next' })).sequence, 13);
    assert.equal((await store.getCompletedDagNodeOutputs('ok')).size, 4);
  }

  it('a zero-length events.jsonl of 12 acknowledged events', async () => {
    await fs.truncate(file('r', 'events.jsonl'), 0);
    await detectedEverywhere('events.jsonl line 1: the log holds no complete line (0 bytes)');
    await corrupted(store.getWorkflowRun('r'), 'r', 'events.jsonl line 1');
  });

  it('a log cut back to whole lines', async () => {
    const lines = (await fs.readFile(file('r', 'events.jsonl'), 'utf8')).split('\n');
    await fs.writeFile(file('r', 'events.jsonl'), `${lines.slice(0, 9).join('\n')}\n`);
    await detectedEverywhere('events.jsonl line 10: the log ends after line 9');
    await corrupted(store.getWorkflowRun('r'), 'r', 'events.jsonl line 10');
  });

  it('a node_completed line replaced by garbage', async () => {
    const lines = (await fs.readFile(file('r', 'events.jsonl'), 'utf8')).split('\n');
    assert.match(lines[5]!, /"event_type":"node_completed"/);
    lines[5] = 'garbage garbage garbage';
    await fs.writeFile(file('r', 'events.jsonl'), lines.join('\n'));
    await detectedEverywhere('events.jsonl line 6');
  });

  it('one changed byte in a payload fails the pages holding it and every write, not the outputs read', async () => {
    const bytes = await fs.readFile(file('r', 'events.jsonl'));
    const at = bytes.indexOf('"i":5');
    bytes[at + 4] = '7'.charCodeAt(0); // {"i":5} becomes {"i":7}: still JSON, still a valid event
    await fs.writeFile(file('r', 'events.jsonl'), bytes);
    const where = /events\.jsonl line 5: its checksum is [0-9a-f]{8} but its content gives/;
    await reopen();
    // Each read checks the lines it returns and the tail: line 5 is neither a page's below nor a completion.
    assert.deepEqual(
      (await store.listWorkflowEvents('r', { after_sequence: 5, limit: 3 })).map((e) => e.sequence),
      [6, 7, 8],
    );
    await corrupted(store.listWorkflowEvents('r', { after_sequence: 3, limit: 3 }), 'r', where);
    assert.deepEqual([...(await store.getCompletedDagNodeOutputs('r')).keys()], ['n3', 'n6', 'n9', 'n12']);
    await detectedEverywhere(where, { outputs: false });
    const report = await verifyFilesystemStore({ artifactsDir: dir }, { repair: false });
    assert.deepEqual(
      report.damage.map((d) => `${d.runId} ${d.where}`),
      ['r events.jsonl line 5'],
    );
  });

  it("a changed byte in a node's latest completion fails the outputs read and the pages that hold it", async () => {
    const bytes = await fs.readFile(file('r', 'events.jsonl'));
    bytes[bytes.indexOf('"i":9') + 4] = '8'.charCodeAt(0);
    await fs.writeFile(file('r', 'events.jsonl'), bytes);
    const where = /events\.jsonl line 9: its checksum is/;
    await reopen();
    assert.equal((await store.listWorkflowEvents('r', { limit: 8 })).length, 8);
    await corrupted(store.listWorkflowEvents('r', { after_sequence: 8, limit: 1 }), 'r', where);
    await detectedEverywhere(where);
  });

  it('a changed byte in a node file is not returned: the output comes from the log', async () => {
    const node = await fs.readFile(file('r', 'nodes', 'n3.json'), 'utf8');
    await fs.writeFile(file('r', 'nodes', 'n3.json'), node.replace('"i":3', '"i":4'));
    await reopen();
    assert.deepEqual((await store.getCompletedDagNodeOutputs('r')).get('n3'), { i: 3, text: 'été €' });
  });

  it("a last line's newline replaced is not a torn line: the seal vouches for it", async () => {
    const bytes = await fs.readFile(file('r', 'events.jsonl'));
    bytes[bytes.length - 1] = ' '.charCodeAt(0);
    await fs.writeFile(file('r', 'events.jsonl'), bytes);
    await detectedEverywhere('events.jsonl line 12: the log ends after line 11');
  });

  it('a truncated run.json fails that run, and listing names it; other runs are fine', async () => {
    const text = await fs.readFile(file('r', 'run.json'), 'utf8');
    await fs.writeFile(file('r', 'run.json'), text.slice(0, 20));
    await reopen();
    await corrupted(store.getWorkflowRun('r'), 'r', 'run.json: it is not JSON');
    await corrupted(store.listWorkflowRuns(), 'r', 'run.json');
    await corrupted(store.createWorkflowEvent({ run_id: 'r', event_type: 'next' }), 'r', 'run.json');
    await corrupted(store.updateWorkflowRun('r', { status: 'running' }), 'r', 'run.json');
    assert.equal((await store.getWorkflowRun('ok'))?.id, 'ok');
    assert.equal((await store.createWorkflowEvent({ run_id: 'ok', event_type: 'next' })).sequence, 13);
    assert.equal(await store.deleteWorkflowRun('r'), true, 'a damaged run can be deleted');
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['ok'],
    );
  });

  it('a missing events.seal is damage, not an empty run', async () => {
    await fs.rm(file('r', 'events.seal'));
    await reopen();
    await corrupted(store.getWorkflowRun('r'), 'r', 'events.seal: it is missing');
    await corrupted(store.createWorkflowEvent({ run_id: 'r', event_type: 'next' }), 'r', 'events.seal: it is missing');
  });

  it('a torn multi-byte UTF-8 tail (cut inside a character) is a torn line: ignored, then cut', async () => {
    const before = await fs.readFile(file('r', 'events.jsonl'));
    const line = Buffer.from('{"run_id":"r","sequence":13,"event_type":"x","timestamp":"x","payload":{"t":"€😀"}}\n');
    const cut = line.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte character
    await fs.appendFile(file('r', 'events.jsonl'), line.subarray(0, cut));
    await reopen();
    assert.equal((await store.listWorkflowEvents('r')).length, 12);
    assert.equal((await store.getWorkflowRun('r'))?.id, 'r');
    assert.equal(
      (await store.createWorkflowEvent({ run_id: 'r', event_type: 'next', payload: { t: '€' } })).sequence,
      13,
    );
    const after = await fs.readFile(file('r', 'events.jsonl'));
    assert.deepEqual(after.subarray(0, before.length), before);
    assert.deepEqual(
      (await store.listWorkflowEvents('r', { after_sequence: 12 })).map((e) => e.payload),
      [{ t: '€' }],
    );
  });
});

describe('refused calls and reads write nothing; temporary files are cleaned; the format marker', () => {
  let dir: string;
  let store: IWorkflowStore;
  beforeEach(async () => {
    dir = path.join(root, `hygiene-${++n}`);
    store = await createFilesystemStore({ artifactsDir: dir });
  });
  afterEach(async () => {
    mock.restoreAll();
    syncBuiltinESMExports();
    await store.close();
  });

  it('no file (no lock file) is created by calls on an unknown run', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    const before = await snapshot(dir);
    for (const id of ['ghost', 'ghost-2']) {
      await rejectsWith(store.createWorkflowEvent({ run_id: id, event_type: 'x' }), 'RUN_NOT_FOUND');
      await rejectsWith(store.updateWorkflowRun(id, { status: 'running' }), 'RUN_NOT_FOUND');
      await rejectsWith(
        store.updateWorkflowRun(id, { status: 'running' }, { event: { event_type: 'x' } }),
        'RUN_NOT_FOUND',
      );
      await rejectsWith(store.listWorkflowEvents(id), 'RUN_NOT_FOUND');
      await rejectsWith(store.getCompletedDagNodeOutputs(id), 'RUN_NOT_FOUND');
      assert.equal(await store.getWorkflowRun(id), null);
      assert.equal(await store.deleteWorkflowRun(id), false);
    }
    assert.deepEqual(await snapshot(dir), before);
  });

  it('a refused oversize merge creates nothing, not even a lock file', async () => {
    const half = 'x'.repeat(JSON_MAX_BYTES / 2);
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { a: half } });
    const before = await snapshot(dir);
    await rejectsWith(store.updateWorkflowRun('r', { metadata: { b: half } }), 'INVALID_INPUT');
    assert.deepEqual(await snapshot(dir), before);
  });

  it('a losing compare-and-set leaves run.json and events.jsonl byte-identical', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'x' });
    await store.updateWorkflowRun('r', { status: 'running' }, { event: { event_type: 'claimed' } });
    // The appends' view is written 50 ms later: closed and opened again, the store has none due to write.
    await store.close();
    store = await createFilesystemStore({ artifactsDir: dir });
    const before = await snapshot(dir);
    await rejectsWith(
      store.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'paused', event: { event_type: 'c' } }),
      'STATUS_CONFLICT',
    );
    await rejectsWith(
      store.updateWorkflowRun('r', { status: 'paused' }, { expected_status: 'pending' }),
      'STATUS_CONFLICT',
    );
    await rejectsWith(
      store.updateWorkflowRun('r', { status: 'pending' }, { event: { event_type: 'c' } }),
      'INVALID_TRANSITION',
    );
    assert.deepEqual(await snapshot(dir), before);
  });

  it('getCompletedDagNodeOutputs works on a full disk, without writing', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    for (const node of ['a', 'b', 'a']) await store.createWorkflowEvent(completion('r', node, node.toUpperCase()));
    await store.close(); // no flush of the view left pending
    store = await createFilesystemStore({ artifactsDir: dir });
    await fs.rm(path.join(dir, 'r', 'nodes'), { recursive: true }); // a rebuild is due
    await fs.mkdir(path.join(dir, 'r', 'nodes'));
    const before = await snapshot(dir);
    const full = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    for (const name of ['writeFileSync', 'writeSync', 'renameSync', 'openSync'] as const) {
      const original = fsSync[name] as (...args: unknown[]) => unknown;
      mock.method(fsSync, name, (...args: unknown[]) =>
        name === 'openSync' && String(args[1] ?? 'r') === 'r' ? original(...args) : full(),
      );
    }
    const open = fs.open as (...args: unknown[]) => unknown;
    mock.method(fs, 'open', (...args: unknown[]) => (String(args[1] ?? 'r') === 'r' ? open(...args) : full()));
    mock.method(fs, 'rename', full);
    syncBuiltinESMExports();
    assert.deepEqual(
      await store.getCompletedDagNodeOutputs('r'),
      new Map([
        ['b', 'B'],
        ['a', 'A'],
      ]),
    );
    await store.close(); // the view's rebuild the read left for later: tried now, on the full disk
    mock.restoreAll();
    syncBuiltinESMExports();
    assert.deepEqual(await snapshot(dir), before, 'nothing written, nothing left behind');
  });

  it('temporary files left by a crash are removed under the run lock by the next write', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent(completion('r', 'a', 1));
    await store.close();
    const left = [
      path.join(dir, 'r', 'run.json.4242.0a1b2c3d4e5f.tmp'),
      path.join(dir, 'r', 'nodes', 'a.json.1.ff.tmp'),
    ];
    for (const temporary of left) await fs.writeFile(temporary, '{"half":');
    store = await createFilesystemStore({ artifactsDir: dir });
    assert.equal((await store.getCompletedDagNodeOutputs('r')).get('a'), 1, 'a read leaves them');
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'x' });
    for (const temporary of left) await assert.rejects(fs.stat(temporary), { code: 'ENOENT' });
  });

  it('writes a format marker; a store of a newer format is refused at open, untouched', async () => {
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, '.wfstore-format'), 'utf8')), {
      format: 'wfstore-filesystem',
      version: 2,
    });
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.close();
    const newer = path.join(root, `newer-${++n}`);
    await fs.mkdir(path.join(newer, 'r'), { recursive: true });
    await fs.writeFile(path.join(newer, '.wfstore-format'), '{"format":"wfstore-filesystem","version":3}\n');
    await fs.writeFile(path.join(newer, 'r', 'events.jsonl'), 'a future format\n');
    const before = await snapshot(newer);
    const error = await refusedAtOpen(createFilesystemStore({ artifactsDir: newer }), 'format');
    assert.match(error.message, /format 3, written by a newer wfstore/);
    await assert.rejects(verifyFilesystemStore({ artifactsDir: newer }, { repair: true }), /newer wfstore/);
    assert.deepEqual(await snapshot(newer), before);
    // A directory of runs without the marker whose logs are not of format 0 (wfstore 0.1.0) is refused too.
    await fs.rm(path.join(newer, '.wfstore-format'));
    await refusedAtOpen(createFilesystemStore({ artifactsDir: newer }), 'format');
    store = await createFilesystemStore({ artifactsDir: dir });
  });
});

describe('the view (nodes/.view.json) is an index of the log, never the truth', () => {
  let dir: string;
  let store: IWorkflowStore;
  const viewFile = () => path.join(dir, 'r', 'nodes', '.view.json');
  const reopen = async () => {
    await store.close(); // flushes the views due
    store = await createFilesystemStore({ artifactsDir: dir });
  };
  /** Run r: 250 events of varied lengths, a completion every third over 30 nodes (some completed again). */
  const fillRun = async (from: number, to: number) => {
    for (let i = from; i <= to; i++)
      await store.createWorkflowEvent(
        i % 3 === 0
          ? completion('r', `n${(i / 3) % 30}`, { i, pad: 'x'.repeat(i % 17) })
          : { run_id: 'r', event_type: 'tick', payload: { i, pad: 'é'.repeat(i % 11) } },
      );
  };
  /** What the reads answer: pages at and between the view's line offsets, and the outputs. */
  const answers = async () => {
    const pages: [number, number | undefined][] = [
      [0, 10],
      [99, 5],
      [100, 1],
      [150, 100],
      [245, undefined],
    ];
    const listed = [];
    for (const [after_sequence, limit] of [...pages, [250, 5], [400, undefined]] as const)
      listed.push(await store.listWorkflowEvents('r', { after_sequence, ...(limit === undefined ? {} : { limit }) }));
    return {
      listed,
      all: await store.listWorkflowEvents('r'),
      outputs: [...(await store.getCompletedDagNodeOutputs('r'))],
    };
  };
  let expected: Awaited<ReturnType<typeof answers>>;
  let staleView: Buffer;

  beforeEach(async () => {
    dir = path.join(root, `view-${++n}`);
    store = await createFilesystemStore({ artifactsDir: dir });
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await fillRun(1, 120);
    await reopen();
    staleView = await fs.readFile(viewFile());
    await fillRun(121, 250);
    await reopen();
    expected = await answers();
    assert.equal(expected.all.length, 250);
    assert.equal(expected.outputs.length, 30);
  });
  afterEach(async () => store.close());

  /** The answers are those of the whole log; the view is written again, whole and true (verify finds nothing). */
  async function sameAnswersThenRebuilt(): Promise<void> {
    await reopen();
    assert.deepEqual(await answers(), expected);
    await store.close();
    const report = await verifyFilesystemStore({ artifactsDir: dir }, { repair: false });
    assert.deepEqual(report.damage, []);
    assert.equal(JSON.parse(await fs.readFile(viewFile(), 'utf8')).last_sequence, 250, 'rebuilt');
    store = await createFilesystemStore({ artifactsDir: dir });
    assert.deepEqual(await answers(), expected);
  }

  it('a missing view', async () => {
    await fs.rm(viewFile());
    await sameAnswersThenRebuilt();
  });

  it('a stale view (of the log 130 events ago)', async () => {
    await fs.writeFile(viewFile(), staleView);
    await sameAnswersThenRebuilt();
  });

  it('a damaged view (a changed byte fails its checksum)', async () => {
    const bytes = await fs.readFile(viewFile());
    const at = bytes.indexOf('"lines":[0,') + 12;
    bytes[at] = bytes[at]! ^ 1;
    await fs.writeFile(viewFile(), bytes);
    await sameAnswersThenRebuilt();
  });

  it('a view that lies with a valid checksum: its offsets and completions a line off', async () => {
    const view = parseView(await fs.readFile(viewFile()))!;
    const shift = (offset: number) => offset + (offset > 0 ? 7 : 0);
    const nodes = new Map([...view.nodes].map(([id, node]) => [id, { ...node, offset: shift(node.offset) }]));
    await fs.writeFile(viewFile(), viewText({ ...view, lines: view.lines.map(shift), nodes }));
    await sameAnswersThenRebuilt();
  });

  it("a view that points at a node's older completion, its sequence the latest's", async () => {
    const view = parseView(await fs.readFile(viewFile()))!;
    const log = await fs.readFile(path.join(dir, 'r', 'events.jsonl'));
    const first = log.indexOf('"node_id":"n5"');
    const start = log.lastIndexOf('\n', first) + 1;
    const length = log.indexOf('\n', first) + 1 - start;
    const latest = view.nodes.get('n5')!;
    assert.ok(start < latest.offset, 'n5 completed more than once');
    view.nodes.set('n5', { sequence: latest.sequence, offset: start, length });
    await fs.writeFile(viewFile(), viewText(view));
    await sameAnswersThenRebuilt();
  });

  it("a view of another run's log", async () => {
    await store.createWorkflowRun({ id: 'other', workflow_name: 'w', user_message: '' });
    for (let i = 1; i <= 250; i++) await store.createWorkflowEvent(completion('other', `n${i % 30}`, i));
    await reopen();
    await fs.copyFile(path.join(dir, 'other', 'nodes', '.view.json'), viewFile());
    await sameAnswersThenRebuilt();
  });

  it('a damaged log behind a sound view is still reported, by the reads that meet it and by every write', async () => {
    const log = await fs.readFile(path.join(dir, 'r', 'events.jsonl'));
    const line = log.indexOf('{"i":140,') + 6; // in a tick's payload
    log[line] = '9'.charCodeAt(0);
    await fs.writeFile(path.join(dir, 'r', 'events.jsonl'), log);
    await reopen();
    await corrupted(store.listWorkflowEvents('r', { after_sequence: 130, limit: 20 }), 'r', 'events.jsonl line 140');
    assert.equal((await store.listWorkflowEvents('r', { after_sequence: 140, limit: 20 })).length, 20);
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map(expected.outputs));
    await corrupted(store.createWorkflowEvent({ run_id: 'r', event_type: 'x' }), 'r', 'events.jsonl line 140');
  });
});

describe('verifyFilesystemStore', () => {
  let base: string;
  const ts = '2026-01-01T00:00:09.000Z';

  before(async () => {
    base = path.join(root, 'verify-base');
    const store = await createFilesystemStore({ artifactsDir: base, now: new ManualClock().now });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
      for (let i = 1; i <= 6; i++) {
        await store.createWorkflowEvent(
          i % 2 === 0 ? completion(id, `n${i / 2}`, i) : { run_id: id, event_type: 'tick', payload: { i } },
        );
      }
    }
    await store.updateWorkflowRun('a', { status: 'running' }, { event: { event_type: 'claimed' } });
    await store.getCompletedDagNodeOutputs('c');
    await store.close();
  });

  it('reports a healthy store as healthy, through the descriptor too', async () => {
    const report = await verifyFilesystemStore({ artifactsDir: base }, { repair: false });
    assert.deepEqual(report.damage, []);
    assert.equal(report.runs, 7);
    assert.equal(report.events, 7 * 6 + 1);
    assert.deepEqual(await filesystem.verify!({ artifactsDir: base }, { repair: false }), report);
  });

  /** A copy of the base store with one kind of damage per run. */
  async function damagedCopy(): Promise<string> {
    const copy = path.join(root, `verify-copy-${++n}`);
    await fs.cp(base, copy, { recursive: true });
    const at = (...parts: string[]) => path.join(copy, ...parts);
    const log = await fs.readFile(at('a', 'events.jsonl'));
    log[log.indexOf('"i":3') + 4] = '8'.charCodeAt(0);
    await fs.writeFile(at('a', 'events.jsonl'), log);
    await fs.rm(at('c', 'nodes', 'n1.json'));
    await fs.writeFile(at('c', 'nodes', 'n2.json'), '{"node_id":"n2","sequence":4,"output":"garbled"}');
    await fs.writeFile(at('c', 'nodes', 'ghost.json'), '{}');
    await fs.writeFile(at('c', 'nodes', '.view.json'), 'not json');
    await fs.writeFile(at('c', 'run.json.77.abcdef.tmp'), '{"ha');
    const lines = (await fs.readFile(at('d', 'events.jsonl'), 'utf8')).split('\n');
    await fs.writeFile(at('d', 'events.jsonl'), `${lines.slice(0, 4).join('\n')}\n`);
    await fs.truncate(at('e', 'events.jsonl'), 0);
    await fs.truncate(at('f', 'run.json'), 10);
    // A crash after an update's line was committed, before run.json: the line lies beyond the seal.
    const update = eventLine(parseCreateEvent({ run_id: 'g', event_type: 'claimed' }), 7, ts, {
      status: 'running',
      metadataJson: '{"k":1}',
    });
    await fs.appendFile(at('g', 'events.jsonl'), update);
    await fs.writeFile(at('.wfstore-format.9.aa.tmp'), '');
    await fs.mkdir(at('.staging', 'half-created'));
    const old = new Date(Date.now() - 2 * 3_600_000);
    await fs.utimes(at('.staging', 'half-created'), old, old);
    return copy;
  }

  const summary = (report: Awaited<ReturnType<typeof verifyFilesystemStore>>) =>
    report.damage.map((d) => `${d.runId ?? '-'} ${d.where} ${d.repairable ? 'derived' : 'data'}`).sort();

  it('finds each kind of damage on a copy; repair rebuilds only what is derived from the log', async () => {
    const copy = await damagedCopy();
    const found = await verifyFilesystemStore({ artifactsDir: copy }, { repair: false });
    const derived = [
      '- .staging/half-created derived',
      '- .wfstore-format.9.aa.tmp derived',
      'c nodes/.view.json derived',
      'c nodes/ghost.json derived',
      'c nodes/n1.json derived',
      'c nodes/n2.json derived',
      'c run.json.77.abcdef.tmp derived',
      'g run.json derived',
    ];
    const data = [
      'a events.jsonl line 3 data',
      'd events.jsonl line 5 data',
      'e events.jsonl line 1 data',
      'f run.json data',
    ];
    assert.deepEqual(summary(found), [...derived, ...data].sort());
    assert.equal(found.runs, 7);
    const logs = async () =>
      Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => fs.readFile(path.join(copy, id, 'events.jsonl'))));
    const before = await logs();

    const repaired = await verifyFilesystemStore({ artifactsDir: copy }, { repair: true });
    assert.deepEqual(
      repaired.damage
        .filter((d) => d.repaired === true)
        .map((d) => `${d.runId ?? '-'} ${d.where} derived`)
        .sort(),
      derived.sort(),
    );
    assert.deepEqual(await logs(), before, 'events are never touched');
    assert.deepEqual(summary(await verifyFilesystemStore({ artifactsDir: copy }, { repair: false })), data.sort());

    const store = await createFilesystemStore({ artifactsDir: copy });
    try {
      assert.deepEqual(
        [...(await store.getCompletedDagNodeOutputs('c'))],
        [
          ['n1', 2],
          ['n2', 4],
          ['n3', 6],
        ],
      );
      const g = await store.getWorkflowRun('g');
      assert.deepEqual([g?.status, g?.metadata, g?.updated_at], ['running', { k: 1 }, ts]);
    } finally {
      await store.close();
    }
  });
});

describe("the events of an update with several (format 2's committed_by)", () => {
  const ts = '2026-01-01T00:00:09.000Z';
  const tick = (i: number) => parseCreateEvent({ run_id: 'r', event_type: 'tick', payload: { i } });
  const update = { status: 'running' as const, metadataJson: undefined };

  /** A store whose run "r" has one event, then one update of events 2–5; and its log's lines. */
  async function withUpdate(): Promise<{ dir: string; lines: Buffer[] }> {
    const dir = path.join(root, `update-events-${++n}`);
    const store = await createFilesystemStore({ artifactsDir: dir, now: new ManualClock().now });
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'tick', payload: { i: 1 } });
    const events = [2, 3, 4, 5].map((i) => ({ event_type: 'tick', payload: { i } }));
    await store.updateWorkflowRun('r', { status: 'running' }, { events });
    await store.close();
    const text = await fs.readFile(path.join(dir, 'r', 'events.jsonl'), 'utf8');
    return {
      dir,
      lines: text
        .split('\n')
        .slice(0, -1)
        .map((line) => Buffer.from(`${line}\n`)),
    };
  }

  // Each a line that passes its checksum and holds its sequence, put where it breaks the update's events.
  const cases: [string, (lines: Buffer[]) => Buffer[], string][] = [
    [
      'an event of the update without its member',
      (lines) => [...lines.slice(0, 2), eventLine(tick(3), 3, ts), ...lines.slice(3)],
      'events.jsonl line 3: it breaks the events of the update that line 5 commits (from line 2)',
    ],
    [
      'an event naming another line',
      (lines) => [...lines.slice(0, 3), eventLine(tick(4), 4, ts, undefined, 6), ...lines.slice(4)],
      'events.jsonl line 4: it breaks the events of the update that line 5 commits (from line 2)',
    ],
    [
      'the commit line without the update',
      (lines) => [...lines.slice(0, 4), eventLine(tick(5), 5, ts)],
      "events.jsonl line 5: it is no update's commit, yet the events of the update that line 5 commits",
    ],
    [
      'the commit line naming a commit itself',
      (lines) => [...lines.slice(0, 4), eventLine(tick(5), 5, ts, update, 7)],
      'events.jsonl line 5: it names line 7 as its commit but should commit the events',
    ],
    [
      'an event naming a line before it',
      (lines) => [lines[0]!, eventLine(tick(2), 2, ts, undefined, 1), ...lines.slice(2)],
      "events.jsonl line 2: it names line 1 as its update's commit, which cannot be",
    ],
    [
      'the commit line lost, the seal vouching for it',
      (lines) => lines.slice(0, 4),
      'events.jsonl line 2: the log ends after line 1',
    ],
  ];

  for (const [name, damage, problem] of cases) {
    // Reads check the lines they return (checksum, run, sequence: log/reads.ts), not how they group; the whole
    // log is checked by the first write of a process to the run and by verify.
    it(`${name}: verify names it, and so does the first write to the run`, async () => {
      const { dir, lines } = await withUpdate();
      await fs.writeFile(path.join(dir, 'r', 'events.jsonl'), Buffer.concat(damage(lines)));
      const report = await verifyFilesystemStore({ artifactsDir: dir }, { repair: true });
      const found = report.damage.map((d) => `${d.where}: ${d.problem}`);
      assert.ok(found.length === 1 && found[0]!.startsWith(problem), found.join('\n'));
      assert.equal(report.damage[0]!.repairable, false);
      const store = await createFilesystemStore({ artifactsDir: dir });
      try {
        await corrupted(store.createWorkflowEvent({ run_id: 'r', event_type: 'x' }), 'r', problem.split(':')[0]!);
      } finally {
        await store.close();
      }
    });
  }

  it('its events before the commit line, the seal before them: no damage, and no events', async () => {
    const { dir, lines } = await withUpdate();
    await fs.writeFile(
      path.join(dir, 'r', 'events.seal'),
      sealRecord({ last_sequence: 1, log_bytes: lines[0]!.length }),
    );
    await fs.writeFile(path.join(dir, 'r', 'events.jsonl'), Buffer.concat(lines.slice(0, 4)));
    await fs.rm(path.join(dir, 'r', 'nodes', '.view.json')); // a view never goes past the seal
    const report = await verifyFilesystemStore({ artifactsDir: dir }, { repair: false });
    assert.deepEqual([report.damage, report.events], [[], 1]);
  });
});

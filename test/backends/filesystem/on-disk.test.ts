// What the filesystem backend really puts on disk, read back with fs, not through the store.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createFilesystemStore } from '../../../src/backends/filesystem/index.js';
import { eventLine } from '../../../src/backends/filesystem/log/line-format.js';
import { nodeFileText } from '../../../src/backends/filesystem/view/node-files.js';
import type { IWorkflowStore, JsonValue } from '../../../src/contract/types.js';
import { parseCreateEvent } from '../../../src/contract/validation.js';
import { ManualClock } from '../../../src/conformance/support/clock.js';
import { refusedAtOpen } from '../../support/assertions.js';

describe('filesystem backend on disk', () => {
  let root: string;
  let dir: string;
  let store: IWorkflowStore;
  let clock: ManualClock;
  let n = 0;
  const read = (...parts: string[]) => fs.readFile(path.join(dir, ...parts), 'utf8');
  const readJson = async (...parts: string[]) => JSON.parse(await read(...parts)) as unknown;
  /** A node file's record without its checksum, which is checked apart. */
  const readNode = async (runId: string, nodeId: string) => {
    const { crc, ...record } = (await readJson(runId, 'nodes', `${nodeId}.json`)) as Record<string, unknown>;
    assert.match(String(crc), /^[0-9a-f]{8}$/);
    return record;
  };
  const lines = async (runId: string) => (await read(runId, 'events.jsonl')).split('\n');
  /** Closes the store (which flushes the views and node files due) and opens it again. */
  const settle = async () => {
    await store.close();
    store = await createFilesystemStore({ artifactsDir: dir, now: clock.now });
  };

  before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-test-'))));
  after(async () => fs.rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    dir = path.join(root, `case-${++n}`);
    clock = new ManualClock();
    store = await createFilesystemStore({ artifactsDir: dir, now: clock.now });
  });
  afterEach(async () => store.close());

  // Where a run's files are and what they hold (run.json, events.jsonl, nodes/{nodeId}.json) is
  // 2-filesystem-backend.feature; here, what the format adds: the seal, the checksums, the node file's
  // sequence, and run.json rewritten by an update.
  it('a run directory holds events.seal and nodes/; lines and node files carry checksums and sequences', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { a: [1] } });
    assert.deepEqual((await fs.readdir(path.join(dir, 'r'))).sort(), [
      'events.jsonl',
      'events.seal',
      'nodes',
      'run.json',
    ]);
    const updated = await store.updateWorkflowRun('r', { status: 'running', metadata: { b: 2 } });
    assert.deepEqual(await readJson('r', 'run.json'), updated);
    const completions: [string, JsonValue][] = [
      ['fetch', { v: 1 }],
      ['parse', [1, 2]],
      ['fetch', { v: 2 }],
    ];
    for (const [node, output] of completions) {
      await store.createWorkflowEvent({
        run_id: 'r',
        event_type: 'node_completed',
        payload: { node_id: node, output },
      });
    }
    for (const line of (await lines('r')).slice(0, -1)) {
      assert.match(String((JSON.parse(line) as { crc?: unknown }).crc), /^[0-9a-f]{8}$/);
    }
    assert.deepEqual(await readNode('r', 'fetch'), { node_id: 'fetch', sequence: 3, output: { v: 2 } });
    assert.deepEqual(await readNode('r', 'parse'), { node_id: 'parse', sequence: 2, output: [1, 2] });
  });

  it('the view (an index of the log) follows the appends shortly, with no read and no close', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    for (const output of [1, 2])
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'a', output } });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'tick' });
    const deadline = Date.now() + 10_000;
    let view: Record<string, unknown> | undefined;
    while (view?.last_sequence !== 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      view = (await readJson('r', 'nodes', '.view.json').catch(() => undefined)) as typeof view;
    }
    const log = await read('r', 'events.jsonl');
    const second = log.indexOf('\n') + 1;
    const third = log.indexOf('\n', second) + 1;
    const { crc, ...record } = view!;
    assert.deepEqual(record, {
      log_bytes: Buffer.byteLength(log),
      last_sequence: 3,
      stride: 100,
      lines: [0],
      nodes: [['a', 2, second, third - second]],
    });
    assert.deepEqual(await readNode('r', 'a'), { node_id: 'a', sequence: 2, output: 2 });
  });

  it('leaves no temporary files and no lock files behind', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: `n${i % 3}` } }),
      ),
    );
    await store.updateWorkflowRun('r', { status: 'running' });
    await store.getCompletedDagNodeOutputs('r');
    await store.close(); // the views' flushes are done
    const all = await fs.readdir(dir, { recursive: true });
    assert.deepEqual(
      all.filter((f) => f.endsWith('.tmp')),
      [],
    );
    // A run's lock is its directory: there are no lock files.
    assert.deepEqual((await fs.readdir(dir)).sort(), ['.staging', '.trash', '.wfstore-format', 'r']);
    assert.deepEqual(await fs.readdir(path.join(dir, '.staging')), []);
  });

  it('a torn last line is ignored on read and repaired on the next write', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'a' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'n', output: 1 },
    });
    // A crash mid-append: part of a line, no newline.
    await fs.appendFile(
      path.join(dir, 'r', 'events.jsonl'),
      '{"run_id":"r","sequence":3,"event_type":"node_completed","payl',
    );
    assert.deepEqual(
      (await store.listWorkflowEvents('r')).map((e) => e.sequence),
      [1, 2],
    );
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['n', 1]]));
    const next = await store.createWorkflowEvent({ run_id: 'r', event_type: 'c' });
    assert.equal(next.sequence, 3);
    const onDisk = await lines('r');
    assert.equal(onDisk.pop(), '', 'ends with a newline');
    assert.deepEqual(
      onDisk.map((l) => (JSON.parse(l) as { sequence: number }).sequence),
      [1, 2, 3],
    );
  });

  it('a missing node file is rebuilt from the log', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: 'A' },
    });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'b', output: 'B' },
    });
    await settle();
    await fs.rm(path.join(dir, 'r', 'nodes', 'a.json'));
    // Reads take the outputs from the log, not from node files.
    assert.deepEqual(
      await store.getCompletedDagNodeOutputs('r'),
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
    );
    // The next flush of the run's view (after its next append) writes the missing file again.
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'tick' });
    await settle();
    assert.deepEqual(await readNode('r', 'a'), { node_id: 'a', sequence: 1, output: 'A' });
  });

  it('a stale node file (older than the log) is rebuilt from the log', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: 'old' },
    });
    await store.getCompletedDagNodeOutputs('r');
    // A crash after the log line of a second completion, before its node file (and its seal): only the log has it.
    const request = parseCreateEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: 'new' },
    });
    await fs.appendFile(path.join(dir, 'r', 'events.jsonl'), eventLine(request, 2, clock.iso()));
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['a', 'new']]));
    // The next write seals the line; the flush after it brings the node file up to date.
    await store.createWorkflowEvent({ run_id: 'r', event_type: 'tick' });
    await settle();
    assert.deepEqual(await readNode('r', 'a'), { node_id: 'a', sequence: 2, output: 'new' });
  });

  it(
    'node outputs rebuilt from the log are the completions, ' + 'whatever the payloads and node ids look like',
    async () => {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      const fake =
        '{"run_id":"r","sequence":9,"event_type":"node_completed","timestamp":"t","payload":{"node_id":"x"}}';
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'log', payload: { node_id: 'x', text: fake } });
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed', payload: { node_id: 'null' } });
      await store.createWorkflowEvent({
        run_id: 'r',
        event_type: 'node_completed',
        payload: { node_id: '1e999', output: `\u2028\ud800${fake}` },
      });
      await store.createWorkflowEvent({ run_id: 'r', event_type: 'node_completed:x', payload: { node_id: 'true' } });
      const expected = new Map<string, unknown>([
        ['null', null],
        ['1e999', `\u2028\ud800${fake}`],
      ]);
      assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), expected);
      await settle();
      await fs.rm(path.join(dir, 'r', 'nodes'), { recursive: true });
      await fs.mkdir(path.join(dir, 'r', 'nodes'));
      assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), expected);
      await settle(); // the read found no view: it is rebuilt, with the node files, once the read is answered
      assert.deepEqual((await fs.readdir(path.join(dir, 'r', 'nodes'))).sort(), [
        '.view.json',
        '1e999.json',
        'null.json',
      ]);
    },
  );

  it('a node file the view vouches for but that went back in time is rebuilt from the whole log', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: 1 },
    });
    await store.createWorkflowEvent({
      run_id: 'r',
      event_type: 'node_completed',
      payload: { node_id: 'a', output: 2 },
    });
    await store.getCompletedDagNodeOutputs('r');
    await fs.writeFile(path.join(dir, 'r', 'nodes', 'a.json'), nodeFileText('a', 1, '1'));
    assert.deepEqual(await store.getCompletedDagNodeOutputs('r'), new Map([['a', 2]]));
  });

  it('a refused run id writes nothing on disk, inside artifactsDir or beside it', async () => {
    const beside = async () => (await fs.readdir(root)).sort();
    const before = { inside: (await fs.readdir(dir)).sort(), beside: await beside() };
    for (const id of ['..', '../x', 'a/b', '/abs', '', 'a'.repeat(129), '.hidden']) {
      await assert.rejects(store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' }), {
        code: 'INVALID_INPUT',
      });
      await assert.rejects(store.createWorkflowEvent({ run_id: id, event_type: 'x' }), { code: 'INVALID_INPUT' });
    }
    assert.deepEqual((await fs.readdir(dir)).sort(), before.inside);
    assert.deepEqual(await beside(), before.beside);
    assert.ok(!(await fs.readdir(dir)).includes('.locks'), 'not even a lock file');
  });

  it('directories and files that are not runs are not listed', async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await fs.mkdir(path.join(dir, 'not-a-run'));
    await fs.writeFile(path.join(dir, 'stray.txt'), 'x');
    assert.deepEqual(
      (await store.listWorkflowRuns()).map((r) => r.id),
      ['r'],
    );
    assert.equal(await store.getWorkflowRun('not-a-run'), null);
  });

  it("a deleted run's directory is gone", async () => {
    await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    await store.deleteWorkflowRun('r');
    await assert.rejects(fs.stat(path.join(dir, 'r')), { code: 'ENOENT' });
    assert.deepEqual(await fs.readdir(path.join(dir, '.trash')), []);
  });
});

describe('createFilesystemStore options', () => {
  let root: string;
  before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-options-'))));
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('refuses a bad or unknown option with a StoreOpenError naming it, and creates nothing', async () => {
    const artifactsDir = path.join(root, 'store');
    const refused: [string, unknown][] = [
      ['artifactsDir', {}],
      ['artifactsDir', { artifactsDir: '' }],
      ['artifactsDir', { artifactsDir: 5 }],
      ['artifactsDir', { artifactsDir: new URL('file:///tmp/x') }],
      ['fsync', { artifactsDir, fsync: 'false' }],
      ['fsync', { artifactsDir, fsync: 0 }],
      ['fsync', { artifactsDir, fsync: null }],
      ['fsynch', { artifactsDir, fsynch: false }],
      ['artifactDir', { artifactDir: artifactsDir }],
      ['now', { artifactsDir, now: new Date() }],
      ['generateId', { artifactsDir, generateId: 'run-1' }],
      ['options', null],
      ['options', 'store'],
    ];
    for (const [option, options] of refused) {
      await refusedAtOpen(createFilesystemStore(options as never), option);
      assert.deepEqual(await fs.readdir(root), [], `nothing created for ${JSON.stringify(options)}`);
    }
  });

  it('takes fsync true, false or absent (undefined)', async () => {
    for (const fsync of [true, false, undefined]) {
      const store = await createFilesystemStore({ artifactsDir: path.join(root, `fsync-${fsync}`), fsync });
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      await store.close();
    }
  });
});

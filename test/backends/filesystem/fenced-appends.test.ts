// Fenced appends across processes (WF-SEQ-4) on the filesystem backend: workers in other processes append under
// a claim (expected_status, expected_metadata) while this process resumes the run under a new claim, or cancels
// it. Once the update is committed no worker's append lands: every worker's event comes before the update's, and
// each worker is refused with the field that differed. The conditions are checked under the run's lock, an
// flock(2) on its directory that the other processes respect.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFilesystemStore } from '../../../src/backends/filesystem/index.js';
import { referenceAddress } from '../../../src/conformance/support/open-location.js';
import type {
  CreateWorkflowEventOptions,
  IWorkflowStore,
  UpdateWorkflowRunPatch,
} from '../../../src/contract/types.js';

const WORKER = fileURLToPath(new URL('../../support/fenced-append-worker.ts', import.meta.url));
const WORKERS = 3;
/** Appends acknowledged (all workers together) before the update. */
const BEFORE_UPDATE = 150;

interface Worker {
  acked: number[];
  /** "refused <code> <field>", or "done" when it was never refused. */
  end: Promise<string>;
}

function startWorker(dir: string, worker: number, conditions: CreateWorkflowEventOptions, onAck: () => void): Worker {
  const address = JSON.stringify(referenceAddress({ backend: 'filesystem', artifactsDir: dir }));
  const args = ['--import', 'tsx', WORKER, address, 'r', String(worker), JSON.stringify(conditions), '20000'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let last = '';
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('ok ')) {
        acked.push(Number(line.slice(3)));
        onAck();
      } else last = line;
    }
  });
  const end = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(last) : reject(new Error(`worker ${worker} failed: ${stderr}`)))),
  );
  return { acked, end };
}

/** Workers append under `conditions`; once they have appended BEFORE_UPDATE events, this process makes `update`. */
async function race(
  dir: string,
  store: IWorkflowStore,
  conditions: CreateWorkflowEventOptions,
  update: UpdateWorkflowRunPatch,
) {
  let acks = 0;
  let reached!: () => void;
  const enough = new Promise<void>((resolve) => (reached = resolve));
  const workers = Array.from({ length: WORKERS }, (_, w) =>
    startWorker(dir, w, conditions, () => {
      if (++acks === BEFORE_UPDATE) reached();
    }),
  );
  await enough;
  await store.updateWorkflowRun('r', update, { event: { event_type: 'update' } });
  const ends = await Promise.all(workers.map((w) => w.end));
  const events = await store.listWorkflowEvents('r');
  const updateAt = events.find((e) => e.event_type === 'update')!.sequence;
  const work = events.filter((e) => e.event_type === 'work');
  return { ends, workers, work, updateAt, events };
}

describe('appends fenced by a claim, from other processes, racing an update (WF-SEQ-4)', () => {
  let root: string;
  let n = 0;
  before(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-fenced-'))));
  after(async () => fs.rm(root, { recursive: true, force: true }));

  const cases: [string, CreateWorkflowEventOptions, UpdateWorkflowRunPatch, string][] = [
    [
      'resumed elsewhere under a new claim token (the status stays running)',
      { expected_status: 'running', expected_metadata: { claim: 'w1' } },
      { metadata: { claim: 'w2' } },
      'refused STATUS_CONFLICT metadata.claim',
    ],
    ['cancelled', { expected_status: 'running' }, { status: 'cancelled' }, 'refused STATUS_CONFLICT status'],
  ];

  for (const [name, conditions, update, refusal] of cases) {
    it(`${name}: no append after the update, every worker refused`, { timeout: 120_000 }, async () => {
      const dir = path.join(root, `case-${++n}`);
      const store = await createFilesystemStore({ artifactsDir: dir });
      try {
        await store.createWorkflowRun({
          id: 'r',
          workflow_name: 'w',
          user_message: '',
          status: 'running',
          metadata: { claim: 'w1' },
        });
        const { ends, workers, work, updateAt, events } = await race(dir, store, conditions, update);
        assert.deepEqual(ends, Array(WORKERS).fill(refusal));
        const late = work.filter((e) => e.sequence > updateAt);
        assert.deepEqual(late, [], `${late.length} appends landed after the update (event ${updateAt})`);
        const stored = new Set(work.map((e) => e.sequence));
        for (const w of workers) for (const s of w.acked) assert.ok(stored.has(s), `acknowledged event ${s} is there`);
        assert.deepEqual(
          events.map((e) => e.sequence),
          events.map((_, i) => i + 1),
        );
        console.log(`${name}: ${work.length} appends before the update (event ${updateAt}), none after`);
      } finally {
        await store.close();
      }
    });
  }
});

describe('fenced appends in one batch (group commit)', () => {
  it('the refused ones are answered alone and take no sequence; the others are numbered without a gap', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-fenced-batch-'));
    const store = await createFilesystemStore({ artifactsDir: dir });
    try {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', metadata: { claim: 'w2' } });
      await store.updateWorkflowRun('r', { status: 'running' }); // its lock busy while the appends queue up
      const conditions: (CreateWorkflowEventOptions | undefined)[] = Array.from({ length: 20 }, (_, i) =>
        i % 3 === 0 ? undefined : i % 3 === 1 ? { expected_metadata: { claim: 'w1' } } : { expected_status: 'running' },
      );
      const results = await Promise.allSettled(
        conditions.map((options, i) =>
          store.createWorkflowEvent({ run_id: 'r', event_type: 'work', payload: { i } }, options),
        ),
      );
      const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
      assert.deepEqual(
        refused,
        conditions.flatMap((c, i) => (c?.expected_metadata !== undefined ? [i] : [])),
      );
      for (const i of refused) assert.equal((results[i] as PromiseRejectedResult).reason.field, 'metadata.claim');
      const events = await store.listWorkflowEvents('r');
      assert.deepEqual(
        events.map((e) => e.sequence),
        events.map((_, k) => k + 1),
      );
      assert.equal(events.length, 20 - refused.length);
      for (const [i, result] of results.entries()) {
        if (result.status === 'fulfilled')
          assert.deepEqual(
            result.value,
            events.find((e) => e.payload.i === i),
            `append ${i} as stored`,
          );
      }
    } finally {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

// The engine's heartbeats (EngineOptions.heartbeatMs): while a claimed run executes, a metadata-only update
// fenced like the worker's other writes moves the run's updated_at; they stop when the run ends, and a refused
// one is the run lost. On the memory store and SQLite (or WFSTORE_BACKENDS), on a clock that ticks a
// millisecond per call, so that every update moves updated_at.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ReferenceInitializer, referenceBackend } from '../../src/conformance/reference-initializer.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, UpdateWorkflowRunOptions, WorkflowRun } from '../../src/contract/types.js';
import { CLAIM_KEY, type NodeDefinition, RunLostError, WorkflowEngine } from '../../src/engine/index.js';
import { selectedBackends } from '../support/backends.js';

const BACKENDS: ReferenceInitializer[] = process.env.WFSTORE_BACKENDS
  ? selectedBackends()
  : [referenceBackend('memory'), referenceBackend('sqlite')];
const HEARTBEAT_MS = 20;

function tickingClock(): () => Date {
  let at = Date.parse('2031-01-01T00:00:00.000Z');
  return () => new Date(++at);
}

/** A heartbeat the engine wrote: an update with an empty patch; the run it gave back, or the error's code. */
interface Beat {
  options: UpdateWorkflowRunOptions | undefined;
  run?: WorkflowRun;
  refused?: string;
}

/** The store, recording each heartbeat; `next()` resolves at the next one that settles (accepted or refused). */
function watched(store: IWorkflowStore) {
  const beats: Beat[] = [];
  let waiting: (() => void)[] = [];
  const settled = (beat: Beat) => {
    beats.push(beat);
    for (const wake of waiting) wake();
    waiting = [];
  };
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'updateWorkflowRun') return typeof value === 'function' ? value.bind(target) : value;
      return async (id: string, patch: object, options?: UpdateWorkflowRunOptions) => {
        if (Object.keys(patch).length > 0) return target.updateWorkflowRun(id, patch, options);
        const copy = structuredClone(options);
        try {
          const run = await target.updateWorkflowRun(id, {}, options);
          settled({ options: copy, run });
          return run;
        } catch (error) {
          settled({ options: copy, refused: isWorkflowStoreError(error) ? error.code : String(error) });
          throw error;
        }
      };
    },
  });
  const next = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { store: proxy, beats, next };
}

// The heartbeat timer does not keep the process alive, and some nodes here wait for nothing but a heartbeat.
let alive: ReturnType<typeof setInterval>;
before(() => {
  alive = setInterval(() => {}, 1000);
});
after(() => clearInterval(alive));

for (const backend of BACKENDS) {
  describe(`the engine's heartbeats, on ${backend.name}`, () => {
    let store: IWorkflowStore;
    before(async () => {
      await backend.beforeAll?.();
      store = await backend.createStore({ now: tickingClock() });
    });
    after(async () => {
      await backend.destroyStore?.(store);
      await backend.afterAll?.();
    });

    it('move updated_at while the nodes append their events, fenced by the claim, and stop with the run', async () => {
      const w = watched(store);
      // Each node returns only after a heartbeat: its node_started and node_completed have one between them.
      const node = (id: string, dependsOn: string[] = []): NodeDefinition => ({
        id,
        dependsOn,
        run: () => w.next().then(() => id),
      });
      const workflow = { name: 'beating', nodes: [node('a'), node('b', ['a']), node('c', ['b'])] };
      const engine = new WorkflowEngine(w.store, { heartbeatMs: HEARTBEAT_MS, concurrency: 1 });
      const outcome = await engine.start(workflow, { runId: 'beating' });
      assert.equal(outcome.status, 'completed');
      const beats = w.beats.length;
      assert.ok(beats >= 3, `at least one heartbeat per node, not ${beats}`);
      const run = (await store.getWorkflowRun('beating'))!;
      const events = await store.listWorkflowEvents('beating');
      const token = run.metadata[CLAIM_KEY];
      const times: string[] = [];
      for (const beat of w.beats) {
        assert.deepEqual(beat.options, { expected_status: 'running', expected_metadata: { [CLAIM_KEY]: token } });
        assert.equal(beat.refused, undefined);
        assert.equal(beat.run!.status, 'running');
        assert.equal(beat.run!.metadata[CLAIM_KEY], token);
        times.push(beat.run!.updated_at);
      }
      assert.deepEqual(times, [...times].sort(), 'each heartbeat moved updated_at further');
      assert.ok(times[0]! > events[0]!.timestamp, 'past the claim');
      for (const id of ['a', 'b', 'c']) {
        const at = (type: string) => events.find((e) => e.event_type === type && e.payload.node_id === id)!.timestamp;
        const [started, completed] = [at('node_started'), at('node_completed')];
        assert.ok(
          times.some((t) => t > started && t < completed),
          `a heartbeat between ${id}'s node_started and node_completed`,
        );
      }
      assert.ok(times.at(-1)! < run.updated_at, 'every heartbeat before the final update');
      assert.equal(run.updated_at, events.at(-1)!.timestamp, 'the final update is the last write');
      assert.equal(events.at(-1)!.event_type, 'workflow_completed');
      await sleep(HEARTBEAT_MS * 5);
      assert.equal(w.beats.length, beats, 'no heartbeat after the run ended');
    });

    it('a refused heartbeat is the run lost: no node starts after it, no heartbeat follows it', async () => {
      const w = watched(store);
      let started = () => {};
      const began = new Promise<void>((resolve) => {
        started = resolve;
      });
      const workflow = {
        name: 'cancelled-beating',
        nodes: [
          {
            id: 'slow',
            run: async () => {
              started();
              while (w.beats.every((b) => b.refused === undefined)) await w.next();
              await sleep(HEARTBEAT_MS * 5); // room for heartbeats that should not come
              return 1;
            },
          },
          { id: 'next', dependsOn: ['slow'], run: () => 2 },
        ],
      };
      const run = new WorkflowEngine(w.store, { heartbeatMs: HEARTBEAT_MS }).start(workflow, { runId: 'cancelled-b' });
      await began;
      await store.updateWorkflowRun('cancelled-b', { status: 'cancelled' }, { expected_status: 'running' });
      await assert.rejects(run, (error: unknown) => {
        assert.ok(error instanceof RunLostError, String(error));
        assert.equal(error.status, 'cancelled');
        return true;
      });
      assert.equal(w.beats.at(-1)!.refused, 'STATUS_CONFLICT', 'the last heartbeat is the refused one');
      assert.equal(w.beats.filter((b) => b.refused !== undefined).length, 1, 'none after it');
      const types = (await store.listWorkflowEvents('cancelled-b')).map((e) => e.event_type);
      assert.deepEqual(types, ['workflow_started', 'node_started'], '"next" never started');
    });
  });
}

describe('heartbeats under older contracts, and the option', () => {
  it('under 1.1 (and 1.0) a heartbeat is fenced by the status alone', async () => {
    const backend = referenceBackend('memory');
    for (const contract of ['1.1', '1.0'] as const) {
      const inner = await backend.createStore({ now: tickingClock() });
      const w = watched(inner);
      const workflow = { name: 'old', nodes: [{ id: 'a', run: () => w.next().then(() => 1) }] };
      const outcome = await new WorkflowEngine(w.store, { heartbeatMs: HEARTBEAT_MS, contract }).start(workflow);
      assert.equal(outcome.status, 'completed');
      assert.ok(w.beats.length >= 1);
      for (const beat of w.beats) assert.deepEqual(beat.options, { expected_status: 'running' }, contract);
      await backend.destroyStore?.(inner);
    }
  });

  it('heartbeatMs 0 writes none; a negative, fractional or too large value is refused', async () => {
    const backend = referenceBackend('memory');
    const inner = await backend.createStore();
    const w = watched(inner);
    const workflow = { name: 'quiet', nodes: [{ id: 'a', run: () => sleep(HEARTBEAT_MS * 5).then(() => 1) }] };
    assert.equal((await new WorkflowEngine(w.store, { heartbeatMs: 0 }).start(workflow)).status, 'completed');
    assert.equal(w.beats.length, 0);
    await backend.destroyStore?.(inner);
    for (const heartbeatMs of [-1, 1.5, 2 ** 31, Number.NaN])
      assert.throws(() => new WorkflowEngine(inner, { heartbeatMs }), /heartbeatMs must be 0 \(none\) or a whole/);
  });

  it('the heartbeat timer does not keep the process alive', () => {
    // A node that never returns, heartbeats every 10 minutes: with nothing else to wait for, node exits at once.
    const script = [
      "import { createMemoryStore } from './src/backends/memory/index.ts';",
      "import { WorkflowEngine } from './src/engine/index.ts';",
      'const engine = new WorkflowEngine(await createMemoryStore(), { heartbeatMs: 600_000 });',
      "engine.start({ name: 'stuck', nodes: [{ id: 'a', run: () => new Promise(() => {}) }] });",
    ].join('\n');
    const root = path.resolve(import.meta.dirname, '..', '..');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      timeout: 20_000,
      encoding: 'utf8',
    });
    assert.equal(child.signal, null, `the process was still alive after 20 s: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
  });
});

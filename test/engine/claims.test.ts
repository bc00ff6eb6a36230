// The engine under contract 1.2: the claim token, every write of a worker fenced by it, the final status
// with all its events in one update; and under a declared 1.1, the same workflows without any of it.
// On the memory store and SQLite (or WFSTORE_BACKENDS), opened through the registry.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ReferenceInitializer, referenceBackend } from '../../src/conformance/reference-initializer.js';
import { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, JsonObject, UpdateWorkflowRunOptions, WorkflowEvent } from '../../src/contract/types.js';
import { threeSteps } from '../../src/engine/examples.js';
import {
  CLAIM_KEY,
  type NodeDefinition,
  RunLostError,
  WorkflowEngine,
  type WorkflowDefinition,
} from '../../src/engine/index.js';
import { selectedBackends } from '../support/backends.js';
import { createThirdPartyStore } from '../third-party/store.js';

const BACKENDS: ReferenceInitializer[] = process.env.WFSTORE_BACKENDS
  ? selectedBackends()
  : [referenceBackend('memory'), referenceBackend('sqlite')];

/** A promise and the function that settles it. */
function signal(): { fire: () => void; fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fire, fired };
}

/**
 * fetch → slow → report. Each call of "slow" says it has begun (`began[i]`) and waits for `release[i]`: a
 * worker stuck in a node, for as long as the test wants. "slow" is not the last node, so its completion
 * is an append (fenced by the claim), not part of the final update.
 */
function heldWorkflow(calls: number) {
  const began = Array.from({ length: calls }, signal);
  const release = Array.from({ length: calls }, signal);
  let call = 0;
  const nodes: NodeDefinition[] = [
    { id: 'fetch', run: () => ({ rows: 2 }) },
    {
      id: 'slow',
      dependsOn: ['fetch'],
      run: async () => {
        const at = call++;
        began[at]!.fire();
        await release[at]!.fired;
        return { by: at };
      },
    },
    { id: 'report', dependsOn: ['slow'], run: ({ slow }) => ({ reported: slow ?? null }) },
  ];
  return { workflow: { name: 'held', nodes } satisfies WorkflowDefinition, began, release };
}

const types = (events: readonly WorkflowEvent[]) =>
  events.map((e) => `${e.event_type}${typeof e.payload.node_id === 'string' ? `:${e.payload.node_id}` : ''}`);

/** Every update and append the engine makes, with its options, in order. */
interface Call {
  method: 'updateWorkflowRun' | 'createWorkflowEvent';
  args: unknown[];
}
function recorded(store: IWorkflowStore, calls: Call[]): IWorkflowStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property === 'updateWorkflowRun' || property === 'createWorkflowEvent')
          calls.push({ method: property, args: structuredClone(args) });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

for (const backend of BACKENDS) {
  describe(`the engine under contract 1.2, on ${backend.name}`, () => {
    let store: IWorkflowStore;
    before(async () => {
      await backend.beforeAll?.();
      store = await backend.createStore();
    });
    after(async () => {
      await backend.destroyStore?.(store);
      await backend.afterAll?.();
    });

    it('a late worker is refused after its run was resumed elsewhere, and writes nothing more', async () => {
      const { workflow, began, release } = heldWorkflow(2);
      const a = new WorkflowEngine(store).start(workflow, { runId: 'late' });
      await began[0]!.fired;
      const tokenOfA = (await store.getWorkflowRun('late'))!.metadata[CLAIM_KEY];
      assert.equal(typeof tokenOfA, 'string', 'the claim wrote a token in metadata.claim');
      // Worker B is told A died: it takes the run over (running → failed → running, a new token).
      const b = new WorkflowEngine(store).resume(workflow, 'late', { takeOverRunning: true });
      await began[1]!.fired;
      const tokenOfB = (await store.getWorkflowRun('late'))!.metadata[CLAIM_KEY];
      assert.notEqual(tokenOfB, tokenOfA);
      const before = await store.listWorkflowEvents('late');
      release[0]!.fire();
      await assert.rejects(a, (error: unknown) => {
        assert.ok(error instanceof RunLostError, String(error));
        assert.equal(error.runId, 'late');
        assert.equal(error.field, 'metadata.claim');
        assert.equal(error.status, 'running');
        assert.match(error.message, /workflow run "late" is no longer this worker's: another worker claimed it/);
        return true;
      });
      assert.deepEqual(await store.listWorkflowEvents('late'), before, 'the late worker wrote nothing');
      release[1]!.fire();
      assert.equal((await b).status, 'completed');
      assert.deepEqual(types(await store.listWorkflowEvents('late')), [
        'workflow_started',
        'node_started:fetch',
        'node_completed:fetch',
        'node_started:slow',
        'workflow_interrupted',
        'workflow_resumed',
        'node_started:slow',
        'node_completed:slow',
        'node_started:report',
        'node_completed:report',
        'workflow_completed',
      ]);
      assert.deepEqual(Object.fromEntries(await store.getCompletedDagNodeOutputs('late')), {
        fetch: { rows: 2 },
        slow: { by: 1 },
        report: { reported: { by: 1 } },
      });
    });

    it("a cancelled run's worker is refused: it starts no other node and writes nothing more", async () => {
      const { workflow, began, release } = heldWorkflow(1);
      const a = new WorkflowEngine(store).start(workflow, { runId: 'cancelled' });
      await began[0]!.fired;
      await store.updateWorkflowRun(
        'cancelled',
        { status: 'cancelled' },
        { expected_status: 'running', event: { event_type: 'workflow_cancelled' } },
      );
      release[0]!.fire();
      await assert.rejects(a, (error: unknown) => {
        assert.ok(error instanceof RunLostError, String(error));
        assert.equal(error.field, 'status');
        assert.equal(error.status, 'cancelled');
        assert.match(
          error.message,
          /workflow run "cancelled" is no longer this worker's: its status is now "cancelled"/,
        );
        return true;
      });
      assert.equal((await store.getWorkflowRun('cancelled'))!.status, 'cancelled');
      assert.deepEqual(types(await store.listWorkflowEvents('cancelled')), [
        'workflow_started',
        'node_started:fetch',
        'node_completed:fetch',
        'node_started:slow',
        'workflow_cancelled',
      ]);
    });

    it('the final status goes with all its events: the last node and workflow_completed in one update', async () => {
      const calls: Call[] = [];
      const outcome = await new WorkflowEngine(recorded(store, calls), { concurrency: 1 }).start(
        threeSteps().workflow,
        { runId: 'together' },
      );
      assert.equal(outcome.status, 'completed');
      const final = calls.at(-1)!;
      assert.equal(final.method, 'updateWorkflowRun');
      const options = final.args[2] as UpdateWorkflowRunOptions;
      assert.deepEqual(
        options.events?.map((e) => e.event_type),
        ['node_completed', 'workflow_completed'],
      );
      assert.deepEqual(options.events?.[0]?.payload, { node_id: 'transform', output: [2, 4, 6] });
      assertFenced(calls, 'together');
      assert.deepEqual(types(await store.listWorkflowEvents('together')).slice(-3), [
        'node_started:transform',
        'node_completed:transform',
        'workflow_completed',
      ]);
      assert.deepEqual((await store.getCompletedDagNodeOutputs('together')).get('transform'), [2, 4, 6]);
    });

    it('a failure: node_failed and workflow_failed in one update; the resume claims with a new token', async () => {
      const calls: Call[] = [];
      const { workflow } = threeSteps({ failTransform: 1 });
      const engine = new WorkflowEngine(recorded(store, calls), { concurrency: 1 });
      assert.equal((await engine.start(workflow, { runId: 'fails' })).status, 'failed');
      const failed = calls.at(-1)!.args[2] as UpdateWorkflowRunOptions;
      assert.deepEqual(
        failed.events?.map((e) => e.event_type),
        ['node_failed', 'workflow_failed'],
      );
      const first = (await store.getWorkflowRun('fails'))!.metadata[CLAIM_KEY];
      calls.length = 0;
      assert.equal((await engine.resume(workflow, 'fails')).status, 'completed');
      assert.notEqual((await store.getWorkflowRun('fails'))!.metadata[CLAIM_KEY], first);
      assertFenced(calls, 'fails');
    });

    it('ready nodes run concurrently; only the last write waits for the final update', async () => {
      const calls: Call[] = [];
      const wait = (id: string, ms: number, dependsOn: string[] = []) => ({
        id,
        dependsOn,
        run: async () => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          return id;
        },
      });
      const workflow = { name: 'fan', nodes: [wait('a', 5), wait('b', 150), wait('c', 20, ['a'])] };
      const outcome = await new WorkflowEngine(recorded(store, calls), { concurrency: 2 }).start(workflow, {
        runId: 'fan',
      });
      assert.equal(outcome.status, 'completed');
      const final = calls.at(-1)!.args[2] as UpdateWorkflowRunOptions;
      assert.deepEqual(final.events, [
        { event_type: 'node_completed', payload: { node_id: 'b', output: 'b' } },
        { event_type: 'workflow_completed' },
      ]);
      const completions = types(await store.listWorkflowEvents('fan')).filter((t) => t.startsWith('node_completed'));
      assert.deepEqual(completions, ['node_completed:a', 'node_completed:c', 'node_completed:b']);
    });
  });
}

/** After the claim, every append and the final update are fenced by the claim's token and "running". */
function assertFenced(calls: Call[], runId: string): void {
  const claim = calls[0]!;
  assert.equal(claim.method, 'updateWorkflowRun');
  const token = (claim.args[1] as { metadata: JsonObject }).metadata[CLAIM_KEY];
  assert.equal(typeof token, 'string');
  assert.ok(calls.length > 2);
  for (const call of calls.slice(1)) {
    const options = call.args[call.method === 'updateWorkflowRun' ? 2 : 1];
    assert.deepEqual(
      options,
      {
        expected_status: 'running',
        expected_metadata: { [CLAIM_KEY]: token },
        ...(call.method === 'updateWorkflowRun' ? { events: (options as { events: unknown }).events } : {}),
      },
      `${call.method} on "${runId}" fenced by the claim`,
    );
  }
}

/** A store of 1.1: options.events, expected_metadata and an append's options are refused as unknown. */
function storeOf11(store: IWorkflowStore): IWorkflowStore {
  const refuse = (field: string) => {
    throw new WorkflowStoreError('INVALID_INPUT', `options.${field}: not known to contract 1.1`, { field });
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'updateWorkflowRun') {
        return async (id: string, patch: JsonObject, options: UpdateWorkflowRunOptions = {}) => {
          for (const field of ['events', 'expected_metadata'] as const) if (field in options) refuse(field);
          return target.updateWorkflowRun(id, patch, options);
        };
      }
      if (property === 'createWorkflowEvent') {
        return async (input: { run_id: string; event_type: string }, ...rest: unknown[]) => {
          if (rest.length > 0) refuse('(createWorkflowEvent options)');
          return target.createWorkflowEvent(input);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('under a declared contract 1.1, the engine works without claim tokens, fences or several events', () => {
  type Opener = () => Promise<{ store: IWorkflowStore; done: () => Promise<void> }>;
  const stores: (readonly [string, Opener])[] = [
    ...BACKENDS.map(
      (backend) =>
        [
          `${backend.name}, wrapped to refuse what 1.2 added`,
          async () => {
            await backend.beforeAll?.();
            const inner = await backend.createStore();
            return {
              store: storeOf11(inner),
              done: async () => {
                await backend.destroyStore?.(inner);
                await backend.afterAll?.();
              },
            };
          },
        ] as const,
    ),
    [
      'the third-party 1.1 store (test/third-party)',
      async () => ({ store: createThirdPartyStore(), done: async () => {} }),
    ],
  ];
  for (const [label, open] of stores) {
    it(`runs, fails, resumes and completes on ${label}; the latest contract is refused there`, async () => {
      const { store, done } = await open();
      try {
        const counted = threeSteps({ failTransform: 1 });
        const engine = new WorkflowEngine(store, { concurrency: 1, contract: '1.1' });
        assert.equal((await engine.start(counted.workflow, { runId: 'r11' })).status, 'failed');
        assert.equal((await engine.resume(counted.workflow, 'r11')).status, 'completed');
        const run = (await store.getWorkflowRun('r11'))!;
        assert.equal(run.status, 'completed');
        assert.equal(Object.hasOwn(run.metadata, CLAIM_KEY), false, 'no claim token under 1.1');
        const events = types(await store.listWorkflowEvents('r11'));
        assert.deepEqual(events.slice(-3), [
          'node_started:transform',
          'node_completed:transform',
          'workflow_completed',
        ]);
        assert.ok(events.includes('workflow_failed:transform') && events.includes('workflow_resumed'), String(events));
        await assert.rejects(
          new WorkflowEngine(store).start(threeSteps().workflow, { runId: 'r12' }),
          /events|expected_metadata|unknown field/,
        );
      } finally {
        await done();
      }
    });
  }

  it('a cancelled run is still refused its final status under 1.1 (by its status alone)', async () => {
    const store = createThirdPartyStore();
    const { workflow, began, release } = heldWorkflow(1);
    const a = new WorkflowEngine(store, { contract: '1.1' }).start(workflow, { runId: 'c11' });
    await began[0]!.fired;
    await store.updateWorkflowRun('c11', { status: 'cancelled' }, { expected_status: 'running' });
    release[0]!.fire();
    await assert.rejects(a, (e: unknown) => {
      assert.ok(e instanceof RunLostError, String(e));
      assert.match(e.message, /workflow run "c11" is no longer this worker's: its status is now "cancelled"/);
      return true;
    });
    assert.equal((await store.getWorkflowRun('c11'))!.status, 'cancelled');
  });
});

// The seed's resume and "no engine change" scenarios, through the reference engine.

import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryStore } from '../src/backends/memory/index.js';
import type { IWorkflowStore, JsonValue, WorkflowEvent } from '../src/contract/types.js';
import { RunClaimConflictError, WorkflowEngine, type RunOutcome } from '../src/engine/engine.js';
import { threeSteps, type Counted } from '../src/engine/examples.js';
import { ManualClock, sequentialIds } from '../src/conformance/support/clock.js';
import { runThenKill } from '../src/conformance/support/processes.js';
import type { StoreWorld } from './support/world.js';

/** The store as the engine sees it, with each getCompletedDagNodeOutputs answer kept. */
function recording(
  store: IWorkflowStore,
  answers: { runId: string; outputs: Map<string, JsonValue> }[],
): IWorkflowStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getCompletedDagNodeOutputs') {
        return async (runId: string) => {
          const outputs = await target.getCompletedDagNodeOutputs(runId);
          answers.push({ runId, outputs: new Map(outputs) });
          return outputs;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface EngineNotes {
  counted: Counted;
  engine: WorkflowEngine;
  answers: { runId: string; outputs: Map<string, JsonValue> }[];
  first: RunOutcome;
}

function workflowNamed(name: string, failTransform: number): Counted {
  assert.equal(
    name,
    'three-steps',
    `the reference engine scenarios use the example workflow "three-steps", not "${name}"`,
  );
  return threeSteps({ failTransform });
}

Given(
  'the reference engine ran workflow {string} as run {string}, and node {string} failed once',
  async function (this: StoreWorld, name: string, runId: string, failing: string) {
    assert.equal(failing, 'transform', 'in "three-steps" the node that fails once is "transform"');
    const counted = workflowNamed(name, 1);
    const answers: EngineNotes['answers'] = [];
    const engine = new WorkflowEngine(recording(this.store, answers), {
      concurrency: 1,
      contract: this.suite.contract,
    });
    const first = await engine.start(counted.workflow, { runId });
    assert.equal(first.status, 'failed', 'the first run fails at "transform"');
    this.notes.set('engine', { counted, engine, answers, first } satisfies EngineNotes);
  },
);

When('the reference engine resumes run {string}', async function (this: StoreWorld, runId: string) {
  const { counted, engine } = this.notes.get('engine') as EngineNotes;
  await this.attempt(() => engine.resume(counted.workflow, runId));
});

Then(
  'getCompletedDagNodeOutputs\\(\\) of run {string} returned the outputs of {string} and {string} keyed by node id',
  function (this: StoreWorld, runId: string, a: string, b: string) {
    const outcome = this.succeeded<RunOutcome>();
    assert.equal(outcome.status, 'completed');
    const { answers, first } = this.notes.get('engine') as EngineNotes;
    const answer = answers.find((x) => x.runId === runId);
    assert.ok(answer !== undefined, 'the engine did not call getCompletedDagNodeOutputs on resume');
    assert.deepEqual(
      answer.outputs,
      new Map([
        [a, first.outputs.get(a)!],
        [b, first.outputs.get(b)!],
      ]),
    );
  },
);

Then('the nodes {string} and {string} ran once each', function (this: StoreWorld, a: string, b: string) {
  const { counted } = this.notes.get('engine') as EngineNotes;
  assert.equal(counted.runs.get(a), 1, `${a} ran ${counted.runs.get(a)} times`);
  assert.equal(counted.runs.get(b), 1, `${b} ran ${counted.runs.get(b)} times`);
});

// --- the same engine code on SQLite and on the store under test -----------------------------------

Given("the reference engine's code, unchanged", function (this: StoreWorld) {
  // One class, imported once: the only thing that differs below is the store handed to it.
  this.notes.set('engine class', WorkflowEngine);
});

/** Runs `body` on a fresh reference store: SQLite (the seed's comparison) or memory (no native module). */
async function onReference<T>(kind: 'SQLite' | 'memory', body: (store: IWorkflowStore) => Promise<T>): Promise<T> {
  const clock = new ManualClock();
  const options = { now: clock.now, generateId: sequentialIds('generated') };
  if (kind === 'memory') {
    const store = await createMemoryStore(options);
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  }
  // Imported here, so a store under test that never meets this scenario needs no native SQLite module.
  const { createSqliteStore } = await import('../src/backends/sqlite/index.js');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-compare-'));
  const store = await createSqliteStore({ ...options, filename: path.join(dir, 'wf.db') });
  try {
    return await body(store);
  } finally {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

When(
  /^it runs workflow "([^"]*)" on (a SQLite store|the reference memory store) and on the store under test$/,
  async function (this: StoreWorld, name: string, where: string) {
    const Engine = this.notes.get('engine class') as typeof WorkflowEngine;
    await onReference(where === 'a SQLite store' ? 'SQLite' : 'memory', async (reference) => {
      const results = [];
      for (const store of [reference, this.store]) {
        const outcome = await new Engine(store, { concurrency: 1, contract: this.suite.contract }).start(
          workflowNamed(name, 0).workflow,
          {
            runId: 'same-run',
          },
        );
        results.push({
          outcome,
          events: await store.listWorkflowEvents('same-run'),
          run: await store.getWorkflowRun('same-run'),
        });
      }
      this.notes.set('both', results);
    });
  },
);

type Both = { outcome: RunOutcome; events: WorkflowEvent[]; run: { status: string } | null }[];

Then('both runs end {string} with the same node outputs', function (this: StoreWorld, status: string) {
  const [sqlite, other] = this.notes.get('both') as Both;
  assert.equal(sqlite!.run?.status, status);
  assert.equal(other!.run?.status, status);
  assert.deepEqual(other!.outcome.outputs, sqlite!.outcome.outputs);
});

Then('both event logs are identical apart from timestamps', function (this: StoreWorld) {
  const [sqlite, other] = this.notes.get('both') as Both;
  const strip = (events: WorkflowEvent[]) => events.map(({ timestamp: _t, ...rest }) => rest);
  assert.ok(sqlite!.events.length > 0);
  assert.deepEqual(strip(other!.events), strip(sqlite!.events));
});

// --- resume on every backend -----------------------------------------------------------------------

Then(
  'the final outputs of run {string} equal those of an uninterrupted run',
  async function (this: StoreWorld, runId: string) {
    const uninterrupted = await onReference('memory', (store) =>
      new WorkflowEngine(store, { contract: this.suite.contract }).start(threeSteps().workflow, { runId }),
    );
    assert.equal(uninterrupted.status, 'completed');
    assert.deepEqual(
      Object.fromEntries(await this.store.getCompletedDagNodeOutputs(runId)),
      Object.fromEntries(uninterrupted.outputs),
    );
  },
);

Then(
  'the event log of run {string} is the one the same steps give on the reference memory store, apart from timestamps',
  async function (this: StoreWorld, runId: string) {
    const strip = (events: WorkflowEvent[]) => events.map(({ timestamp: _t, ...rest }) => rest);
    const expected = await onReference('memory', async (store) => {
      const counted = threeSteps({ failTransform: 1 });
      const engine = new WorkflowEngine(store, { concurrency: 1, contract: this.suite.contract });
      await engine.start(counted.workflow, { runId });
      await engine.resume(counted.workflow, runId);
      return store.listWorkflowEvents(runId);
    });
    assert.deepEqual(strip(await this.store.listWorkflowEvents(runId)), strip(expected));
  },
);

When('two callers resume run {string} at the same time', async function (this: StoreWorld, runId: string) {
  const { counted, engine } = this.notes.get('engine') as EngineNotes;
  this.settled = await Promise.allSettled([
    engine.resume(counted.workflow, runId),
    engine.resume(counted.workflow, runId),
  ]);
});

Then(
  'exactly one resume completes the run and the other is refused as a claim conflict',
  async function (this: StoreWorld) {
    const won = this.settled.filter((s): s is PromiseFulfilledResult<RunOutcome> => s.status === 'fulfilled');
    const lost = this.settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    assert.equal(won.length, 1, `${won.length} resumes proceeded`);
    assert.equal(won[0]!.value.status, 'completed');
    assert.equal(lost.length, 1);
    assert.ok(lost[0]!.reason instanceof RunClaimConflictError, `the loser got ${String(lost[0]!.reason)}`);
    assert.match((lost[0]!.reason as Error).message, /could not be claimed/);
  },
);

Then('node {string} ran {int} times in all', function (this: StoreWorld, nodeId: string, times: number) {
  const { counted } = this.notes.get('engine') as EngineNotes;
  assert.equal(counted.runs.get(nodeId), times);
});

Given(
  'workflow {string} runs as run {string} in another process, killed with SIGKILL once node {string} has completed',
  async function (this: StoreWorld, name: string, runId: string, nodeId: string) {
    assert.equal(name, 'three-steps');
    await runThenKill(
      this.suite.address(this.store),
      runId,
      async () =>
        (await this.store.listWorkflowEvents(runId)).some(
          (e) => e.event_type === 'node_completed' && e.payload.node_id === nodeId,
        ),
      undefined,
      this.suite.contract,
    );
    this.notes.set('before kill', await this.store.listWorkflowEvents(runId));
  },
);

When(
  'this process resumes run {string}, taking over from the dead process',
  async function (this: StoreWorld, runId: string) {
    const counted = threeSteps();
    this.notes.set('resumed', counted);
    await this.attempt(() =>
      new WorkflowEngine(this.store, { concurrency: 1, contract: this.suite.contract }).resume(
        counted.workflow,
        runId,
        { takeOverRunning: true },
      ),
    );
    this.succeeded();
  },
);

Then('no node that had completed before the kill was started again', async function (this: StoreWorld) {
  const before = this.notes.get('before kill') as WorkflowEvent[];
  const completed = before.filter((e) => e.event_type === 'node_completed').map((e) => e.payload.node_id);
  assert.ok(completed.length >= 2, `nodes completed before the kill: ${completed.join(', ')}`);
  const counted = this.notes.get('resumed') as Counted;
  for (const nodeId of completed)
    assert.equal(counted.runs.get(nodeId as string), undefined, `${String(nodeId)} ran again`);
  const after = (await this.store.listWorkflowEvents(before[0]!.run_id)).slice(before.length);
  const restarted = after.filter((e) => e.event_type === 'node_started' && completed.includes(e.payload.node_id));
  assert.deepEqual(restarted, [], 'no node_started after the kill for a completed node');
});

Then('every node of run {string} completed exactly once', async function (this: StoreWorld, runId: string) {
  const completions = (await this.store.listWorkflowEvents(runId))
    .filter((e) => e.event_type === 'node_completed')
    .map((e) => e.payload.node_id);
  assert.deepEqual([...completions].sort(), ['fetch', 'parse', 'transform']);
});

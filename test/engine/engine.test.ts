// The reference engine: definition checks, concurrency, the resume claim, and its boundary.

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import {
  checkWorkflow,
  RunClaimConflictError,
  WorkflowDefinitionError,
  WorkflowEngine,
  type WorkflowDefinition,
} from '../../src/engine/index.js';
import { threeSteps } from '../../src/engine/examples.js';

const ENGINE_DIR = fileURLToPath(new URL('../../src/engine/', import.meta.url));
const memoryStore = () => createSqliteStore({ filename: ':memory:' });
const node = (id: string, dependsOn: string[] = []) => ({ id, dependsOn, run: () => id });

describe('the engine boundary', () => {
  it('no file under src/engine imports anything but the contract and its own folder, or names a backend', async () => {
    const files = (await fs.readdir(ENGINE_DIR)).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 3);
    for (const file of files) {
      const source = await fs.readFile(path.join(ENGINE_DIR, file), 'utf8');
      // TypeScript's own scanner lists every import, export-from and import() of the file.
      const imports = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
      for (const specifier of imports) {
        const allowed = specifier.startsWith('./') || specifier.startsWith('../contract/');
        assert.ok(allowed, `${file} imports "${specifier}"`);
      }
      assert.doesNotMatch(
        source,
        /sqlite|postgres|filesystem|better-sqlite3|\bpg\b|backends\//i,
        `${file} names a backend`,
      );
    }
  });
});

describe('workflow definitions are checked before anything is created', () => {
  const cases: [string, WorkflowDefinition, RegExp, string[]][] = [
    [
      'a cycle',
      { name: 'w', nodes: [node('a', ['c']), node('b', ['a']), node('c', ['b'])] },
      /cycle: a → c → b → a/,
      ['a', 'c', 'b'],
    ],
    [
      'a missing dependency',
      { name: 'w', nodes: [node('a'), node('b', ['a', 'ghost'])] },
      /"b" depends on "ghost"/,
      ['b', 'ghost'],
    ],
    ['a duplicate id', { name: 'w', nodes: [node('a'), node('a')] }, /"a" is defined twice/, ['a']],
    ['an invalid id', { name: 'w', nodes: [node('../a')] }, /not a valid node id/, ['../a']],
  ];
  for (const [label, workflow, message, nodes] of cases) {
    it(`refuses ${label}, naming the nodes`, async () => {
      assert.throws(
        () => checkWorkflow(workflow),
        (e: unknown) =>
          e instanceof WorkflowDefinitionError &&
          message.test(e.message) &&
          assert.deepEqual(e.nodes, nodes) === undefined,
      );
      const store = await memoryStore();
      await assert.rejects(new WorkflowEngine(store).start(workflow), WorkflowDefinitionError);
      assert.deepEqual(await store.listWorkflowRuns(), [], 'no run was created');
      await store.close();
    });
  }
});

describe('running and resuming', () => {
  it('runs ready nodes concurrently up to the limit and feeds outputs to dependants', async () => {
    let running = 0;
    let peak = 0;
    const slow = (id: string, dependsOn: string[] = []) => ({
      id,
      dependsOn,
      run: async (inputs: Record<string, unknown>) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return { id, inputs: Object.keys(inputs) };
      },
    });
    const store = await memoryStore();
    const outcome = await new WorkflowEngine(store, { concurrency: 2 }).start({
      name: 'fan',
      nodes: [slow('a'), slow('b'), slow('c'), slow('join', ['a', 'b', 'c'])],
    });
    assert.equal(outcome.status, 'completed');
    assert.equal(peak, 2);
    assert.deepEqual(outcome.outputs.get('join'), { id: 'join', inputs: ['a', 'b', 'c'] });
    assert.equal((await store.getWorkflowRun(outcome.runId))?.status, 'completed');
    await store.close();
  });

  it('a failure stops scheduling, records node_failed and workflow_failed, and leaves the run failed', async () => {
    const store = await memoryStore();
    const { workflow, runs } = threeSteps({ failTransform: 1 });
    const outcome = await new WorkflowEngine(store).start(workflow, { runId: 'r' });
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(outcome.failure, { nodeId: 'transform', message: 'transform: the upstream service timed out' });
    const types = (await store.listWorkflowEvents('r')).map((e) => e.event_type);
    assert.deepEqual(types, [
      'workflow_started',
      'node_started',
      'node_completed',
      'node_started',
      'node_completed',
      'node_started',
      'node_failed',
      'workflow_failed',
    ]);
    assert.equal(runs.get('transform'), 1);
    await store.close();
  });

  it('a run that is not failed cannot be resumed; a run left running needs takeOverRunning', async () => {
    const store = await memoryStore();
    const { workflow } = threeSteps();
    await new WorkflowEngine(store).start(workflow, { runId: 'done' });
    await assert.rejects(
      new WorkflowEngine(store).resume(workflow, 'done'),
      (e: unknown) => e instanceof RunClaimConflictError && e.status === 'completed',
    );
    await store.createWorkflowRun({ id: 'stuck', workflow_name: 'three-steps', user_message: '', status: 'running' });
    await assert.rejects(new WorkflowEngine(store).resume(workflow, 'stuck'), /takeOverRunning/);
    const outcome = await new WorkflowEngine(store).resume(workflow, 'stuck', { takeOverRunning: true });
    assert.equal(outcome.status, 'completed');
    assert.ok((await store.getWorkflowRun('stuck'))?.metadata.interrupted_at);
    await store.close();
  });
});

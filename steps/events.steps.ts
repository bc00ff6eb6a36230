import { Then, When, type DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue, WorkflowEvent } from '../src/contract/types.js';
import { appendFromProcesses } from '../src/conformance/support/processes.js';
import type { StoreWorld } from './support/world.js';

const list = (text: string) => (text === '' ? [] : text.split(',').map((s) => s.trim()));
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** Every event a step appended and got back, to compare with what the store lists. */
function appended(world: StoreWorld): WorkflowEvent[] {
  if (!world.notes.has('appended')) world.notes.set('appended', []);
  return world.notes.get('appended') as WorkflowEvent[];
}

async function append(world: StoreWorld, run_id: string, event_type: string, payload?: JsonObject): Promise<void> {
  await world.attempt(() => world.store.createWorkflowEvent({ run_id, event_type, payload }));
  if (world.error === undefined) appended(world).push(world.result as WorkflowEvent);
}

async function eventsOf(world: StoreWorld, runId: string): Promise<WorkflowEvent[]> {
  return world.store.listWorkflowEvents(runId);
}

// --- When ------------------------------------------------------------------------------------------

When('the event {string} is appended to run {string}', function (this: StoreWorld, type: string, runId: string) {
  return append(this, runId, type);
});

When(
  'the event {string} is appended to run {string} with payload:',
  function (this: StoreWorld, type: string, runId: string, payload: string) {
    return append(this, runId, type, JSON.parse(payload) as JsonObject);
  },
);

When(
  'node {string} of run {string} completes with output:',
  function (this: StoreWorld, nodeId: string, runId: string, output: string) {
    return append(this, runId, 'node_completed', { node_id: nodeId, output: JSON.parse(output) as JsonValue });
  },
);

When(
  '{int} events are appended one after another to run {string}',
  async function (this: StoreWorld, count: number, runId: string) {
    for (let i = 0; i < count; i++) {
      appended(this).push(await this.store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: { i } }));
    }
  },
);

When(
  '{int} events are appended concurrently to run {string}',
  async function (this: StoreWorld, count: number, runId: string) {
    const events = await Promise.all(
      range(1, count).map((i) => this.store.createWorkflowEvent({ run_id: runId, event_type: 'tick', payload: { i } })),
    );
    appended(this).push(...events);
  },
);

When(
  '{int} processes each append {int} events to run {string}',
  async function (this: StoreWorld, processes: number, count: number, runId: string) {
    this.notes.set('multi-process run', runId);
    await appendFromProcesses(this.suite.address(this.store), runId, processes, count);
  },
);

When(
  'node {string} of run {string} completes {int} times concurrently with outputs {int} to {int}',
  async function (this: StoreWorld, nodeId: string, runId: string, _times: number, from: number, to: number) {
    const events = await Promise.all(
      range(from, to).map((output) =>
        this.store.createWorkflowEvent({
          run_id: runId,
          event_type: 'node_completed',
          payload: { node_id: nodeId, output },
        }),
      ),
    );
    appended(this).push(...events);
  },
);

When(
  'the events of run {string} after sequence {int} are listed with limit {int}',
  function (this: StoreWorld, runId: string, after: number, limit: number) {
    return this.attempt(() => this.store.listWorkflowEvents(runId, { after_sequence: after, limit }));
  },
);

When(
  'the events of run {string} after sequence {int} are listed',
  function (this: StoreWorld, runId: string, after: number) {
    return this.attempt(() => this.store.listWorkflowEvents(runId, { after_sequence: after }));
  },
);

// --- Then ------------------------------------------------------------------------------------------

Then(
  'every page of run {string} with after_sequence 0 to {int} and limit 0 to {int}, or none, is the slice of its log',
  async function (this: StoreWorld, runId: string, lastAfter: number, lastLimit: number) {
    const log = await eventsOf(this, runId);
    const wrong: string[] = [];
    for (const after of range(0, lastAfter)) {
      for (const limit of [...range(0, lastLimit), undefined]) {
        const page = await this.store.listWorkflowEvents(runId, { after_sequence: after, limit });
        const slice = log.filter((e) => e.sequence > after).slice(0, limit);
        const got = page.map((e) => e.sequence).join(', ');
        const want = slice.map((e) => e.sequence).join(', ');
        if (got !== want) wrong.push(`after_sequence ${after}, limit ${limit ?? 'none'}: [${got}], expected [${want}]`);
      }
    }
    assert.deepEqual(wrong, [], `pages that are not the log's slice:\n  ${wrong.join('\n  ')}`);
  },
);

Then('the event log of run {string} is:', async function (this: StoreWorld, runId: string, table: DataTable) {
  const expected = table.hashes().map((row) => ({ sequence: Number(row.sequence), event_type: row.event_type }));
  assert.deepEqual(
    (await eventsOf(this, runId)).map((e) => ({ sequence: e.sequence, event_type: e.event_type })),
    expected,
  );
});

Then('each listed event is the one createWorkflowEvent\\(\\) returned', async function (this: StoreWorld) {
  const returned = appended(this);
  assert.ok(returned.length > 0, 'no event was appended');
  const runIds = [...new Set(returned.map((e) => e.run_id))];
  for (const runId of runIds) {
    const listed = await eventsOf(this, runId);
    const mine = returned.filter((e) => e.run_id === runId).sort((a, b) => a.sequence - b.sequence);
    assert.deepEqual(listed, mine);
  }
});

Then(
  'the events of run {string} have sequences {int} to {int}',
  async function (this: StoreWorld, runId: string, from: number, to: number) {
    assert.deepEqual(
      (await eventsOf(this, runId)).map((e) => e.sequence),
      range(from, to),
    );
  },
);

Then("the event's timestamp is the store's time of that call", function (this: StoreWorld) {
  this.assertStoreNow(this.succeeded<WorkflowEvent>().timestamp, this.window, 'timestamp');
});

Then('run {string} has no events', async function (this: StoreWorld, runId: string) {
  assert.deepEqual(await eventsOf(this, runId), []);
});

Then("each process's events are in the order it appended them", async function (this: StoreWorld) {
  const events = await eventsOf(this, this.notes.get('multi-process run') as string);
  const workers = new Set(events.map((e) => e.payload.worker));
  assert.ok(workers.size > 1, 'events from several processes');
  for (const worker of workers) {
    const order = events.filter((e) => e.payload.worker === worker).map((e) => e.payload.i as number);
    assert.deepEqual(order, range(0, order.length - 1), `process ${String(worker)}`);
  }
});

Then('the listed sequences are {string}', function (this: StoreWorld, list: string) {
  const expected = list === '' ? [] : list.split(',').map((s) => Number(s.trim()));
  assert.deepEqual(
    this.succeeded<WorkflowEvent[]>().map((e) => e.sequence),
    expected,
  );
});

Then(
  'the completed node outputs of run {string} are:',
  async function (this: StoreWorld, runId: string, expected: string) {
    const outputs = await this.store.getCompletedDagNodeOutputs(runId);
    assert.ok(outputs instanceof Map, 'getCompletedDagNodeOutputs returns a Map');
    assert.deepEqual(Object.fromEntries(outputs), JSON.parse(expected));
  },
);

Then(
  'the outputs of run {string} are in the order of their latest completion: {string}',
  async function (this: StoreWorld, runId: string, order: string) {
    const keys = [...(await this.store.getCompletedDagNodeOutputs(runId)).keys()];
    this.recommend('WF-OUT-4', () =>
      assert.deepEqual(keys, list(order), `the outputs map lists the nodes as ${keys.join(', ')}`),
    );
  },
);

Then(
  'the output of node {string} in run {string} is the one appended with the highest sequence',
  async function (this: StoreWorld, nodeId: string, runId: string) {
    const latest = appended(this)
      .filter((e) => e.run_id === runId && e.payload.node_id === nodeId)
      .reduce((a, b) => (a.sequence > b.sequence ? a : b));
    assert.deepEqual((await this.store.getCompletedDagNodeOutputs(runId)).get(nodeId), latest.payload.output);
  },
);

import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ID_MAX_LENGTH, ID_PATTERN } from '../src/contract/limits.js';
import type { JsonObject, RunStatus, WorkflowRun } from '../src/contract/types.js';
import type { StoreWorld } from './support/world.js';

const json = (text: string) => JSON.parse(text) as JsonObject;

export async function givenRun(
  world: StoreWorld,
  id: string,
  fields: { workflow?: string; status?: string; metadata?: JsonObject } = {},
) {
  await world.store.createWorkflowRun({
    id,
    workflow_name: fields.workflow ?? 'wf',
    user_message: '',
    status: fields.status as RunStatus | undefined,
    metadata: fields.metadata,
  });
  await world.snapshot(id);
}

// --- Given ---------------------------------------------------------------------------------------

Given('a workflow run {string}', function (this: StoreWorld, id: string) {
  return givenRun(this, id);
});
Given('a workflow run {string} of workflow {string}', function (this: StoreWorld, id: string, workflow: string) {
  return givenRun(this, id, { workflow });
});
Given('a workflow run {string} with status {string}', function (this: StoreWorld, id: string, status: string) {
  return givenRun(this, id, { status });
});
Given(
  'a workflow run {string} of workflow {string} with status {string}',
  function (this: StoreWorld, id: string, workflow: string, status: string) {
    return givenRun(this, id, { workflow, status });
  },
);
Given('a workflow run {string} with metadata:', function (this: StoreWorld, id: string, metadata: string) {
  return givenRun(this, id, { metadata: json(metadata) });
});
Given(
  'a workflow run {string} with status {string} and metadata:',
  function (this: StoreWorld, id: string, status: string, metadata: string) {
    return givenRun(this, id, { status, metadata: json(metadata) });
  },
);

Given('the clock moves on {int} ms', function (this: StoreWorld, ms: number) {
  return this.passTime(ms);
});
Given('the clock moves back {int} ms', function (this: StoreWorld, ms: number) {
  this.clock.advance(-ms);
});

// --- When: create, read, list, delete ------------------------------------------------------------

When(
  'a workflow run {string} of workflow {string} is created with message {string}',
  function (this: StoreWorld, id: string, workflow: string, message: string) {
    return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: workflow, user_message: message }));
  },
);
When(
  'a workflow run {string} of workflow {string} is created with metadata:',
  function (this: StoreWorld, id: string, workflow: string, metadata: string) {
    return this.attempt(() =>
      this.store.createWorkflowRun({ id, workflow_name: workflow, user_message: '', metadata: json(metadata) }),
    );
  },
);
When('a workflow run of workflow {string} is created without an id', function (this: StoreWorld, workflow: string) {
  return this.attempt(() => this.store.createWorkflowRun({ workflow_name: workflow, user_message: '' }));
});
When('the run {string} is deleted', function (this: StoreWorld, id: string) {
  return this.attempt(() => this.store.deleteWorkflowRun(id));
});
When('the runs are listed', function (this: StoreWorld) {
  return this.attempt(() => this.store.listWorkflowRuns());
});
When('the runs with status {string} are listed', function (this: StoreWorld, status: string) {
  return this.attempt(() => this.store.listWorkflowRuns({ status: status as RunStatus }));
});
When('the runs of workflow {string} are listed', function (this: StoreWorld, workflow: string) {
  return this.attempt(() => this.store.listWorkflowRuns({ workflow_name: workflow }));
});
When('the runs are listed with limit {int}', function (this: StoreWorld, limit: number) {
  return this.attempt(() => this.store.listWorkflowRuns({ limit }));
});
When(
  'the runs of workflow {string} with status {string} are listed',
  function (this: StoreWorld, workflow: string, status: string) {
    return this.attempt(() => this.store.listWorkflowRuns({ workflow_name: workflow, status: status as RunStatus }));
  },
);
When(
  'the runs of workflow {string} with status {string} are listed with limit {int}',
  function (this: StoreWorld, workflow: string, status: string, limit: number) {
    return this.attempt(() =>
      this.store.listWorkflowRuns({ workflow_name: workflow, status: status as RunStatus, limit }),
    );
  },
);

// --- When: update ---------------------------------------------------------------------------------

When('the status of run {string} is updated to {string}', function (this: StoreWorld, id: string, status: string) {
  return this.attempt(() => this.store.updateWorkflowRun(id, { status: status as RunStatus }));
});
When(
  'the status of run {string} is updated to {string} expecting status {string}',
  function (this: StoreWorld, id: string, status: string, expected: string) {
    return this.attempt(() =>
      this.store.updateWorkflowRun(id, { status: status as RunStatus }, { expected_status: expected as RunStatus }),
    );
  },
);
When('run {string} is updated with metadata:', function (this: StoreWorld, id: string, metadata: string) {
  return this.attempt(() => this.store.updateWorkflowRun(id, { metadata: json(metadata) }));
});
When(
  'run {string} is updated with status {string} and metadata:',
  function (this: StoreWorld, id: string, status: string, metadata: string) {
    return this.attempt(() =>
      this.store.updateWorkflowRun(id, { status: status as RunStatus, metadata: json(metadata) }),
    );
  },
);
When(
  '{int} callers at once update the status of run {string} to {string} expecting status {string}',
  async function (this: StoreWorld, callers: number, id: string, status: string, expected: string) {
    this.settled = await Promise.allSettled(
      Array.from({ length: callers }, (_, i) =>
        this.store.updateWorkflowRun(
          id,
          { status: status as RunStatus, metadata: { caller: i } },
          { expected_status: expected as RunStatus },
        ),
      ),
    );
  },
);

// --- Then -------------------------------------------------------------------------------------------

Then(
  'createWorkflowRun\\(\\) returned the run {string} with status {string}',
  function (this: StoreWorld, id: string, status: string) {
    const run = this.succeeded<WorkflowRun>();
    assert.equal(run.id, id);
    assert.equal(run.status, status);
    this.assertStoreNow(run.created_at, this.window, 'created_at');
    assert.equal(run.updated_at, run.created_at, 'a new run has updated_at equal to created_at');
  },
);

Then('the run {string} is stored exactly as it was returned', async function (this: StoreWorld, id: string) {
  assert.deepEqual(await this.store.getWorkflowRun(id), this.succeeded());
});

Then('the run {string} is stored with status {string}', async function (this: StoreWorld, id: string, status: string) {
  const run = await this.store.getWorkflowRun(id);
  assert.ok(run !== null, `run "${id}" does not exist`);
  assert.equal(run.status, status);
});

Then(
  "the run {string} has updated_at equal to the store's time of that call",
  async function (this: StoreWorld, id: string) {
    const run = await this.store.getWorkflowRun(id);
    assert.ok(run !== null, `run "${id}" does not exist`);
    this.assertStoreNow(run.updated_at, this.window, 'updated_at');
  },
);

Then('the run {string} has created_at equal to updated_at', async function (this: StoreWorld, id: string) {
  const run = await this.store.getWorkflowRun(id);
  assert.ok(run !== null, `run "${id}" does not exist`);
  assert.equal(run.created_at, run.updated_at);
});

Then(
  'the run {string} has updated_at {int} ms after its created_at',
  async function (this: StoreWorld, id: string, ms: number) {
    const run = await this.store.getWorkflowRun(id);
    assert.ok(run !== null, `run "${id}" does not exist`);
    assert.equal(Date.parse(run.updated_at) - Date.parse(run.created_at), ms);
  },
);

Then('the run {string} does not exist', async function (this: StoreWorld, id: string) {
  assert.equal(await this.store.getWorkflowRun(id), null);
});

Then('no run exists', async function (this: StoreWorld) {
  assert.deepEqual(await this.store.listWorkflowRuns(), []);
});

Then('the run {string} has metadata:', async function (this: StoreWorld, id: string, metadata: string) {
  const run = await this.store.getWorkflowRun(id);
  assert.ok(run !== null, `run "${id}" does not exist`);
  assert.deepEqual(run.metadata, json(metadata));
  assert.deepEqual(Object.keys(run.metadata), Object.keys(json(metadata)), 'keys in the same order');
});

Then(
  'the run {string} still has workflow name {string}',
  async function (this: StoreWorld, id: string, workflow: string) {
    assert.equal((await this.store.getWorkflowRun(id))?.workflow_name, workflow);
  },
);

Then('the run {string} is unchanged', async function (this: StoreWorld, id: string) {
  assert.ok(this.snapshots.has(id), `no earlier state of run "${id}" was noted`);
  assert.deepEqual(await this.store.getWorkflowRun(id), this.snapshots.get(id));
});

Then('the returned run has an id the store generated', function (this: StoreWorld) {
  const run = this.succeeded<WorkflowRun>();
  if (this.suite.capabilities.ids) {
    assert.equal(run.id, 'generated-1', 'the id comes from the generateId the harness passed (supports.ids)');
  } else {
    assertIdentifier(run.id);
  }
});

When(
  '{int} runs of workflow {string} are created without an id',
  async function (this: StoreWorld, count: number, workflow: string) {
    const runs: WorkflowRun[] = [];
    for (let i = 0; i < count; i++)
      runs.push(await this.store.createWorkflowRun({ workflow_name: workflow, user_message: '' }));
    this.notes.set('generated runs', runs);
  },
);

Then(
  'their ids are {int} different identifiers, each reading back its run',
  async function (this: StoreWorld, count: number) {
    const runs = this.notes.get('generated runs') as WorkflowRun[];
    const ids = runs.map((r) => r.id);
    for (const id of ids) assertIdentifier(id);
    assert.equal(new Set(ids).size, count, `generated ids are unique: ${ids.join(', ')}`);
    for (const run of runs) assert.deepEqual(await this.store.getWorkflowRun(run.id), run);
  },
);

function assertIdentifier(id: unknown): void {
  assert.ok(
    typeof id === 'string' && ID_PATTERN.test(id) && id.length <= ID_MAX_LENGTH,
    `a generated id is an identifier (WF-VAL-6), got ${JSON.stringify(id)}`,
  );
}

Then('the listed runs are in order of created_at, then id', function (this: StoreWorld) {
  const runs = this.succeeded<WorkflowRun[]>();
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1]!, runs[i]!];
    const inOrder = a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
    assert.ok(inOrder, `"${a.id}" (${a.created_at}) is listed before "${b.id}" (${b.created_at}) (WF-RUN-4)`);
  }
});

Then('the listed run ids are {string}', function (this: StoreWorld, ids: string) {
  const expected = ids === '' ? [] : ids.split(',').map((s) => s.trim());
  assert.deepEqual(
    this.succeeded<WorkflowRun[]>().map((r) => r.id),
    expected,
  );
});

Then(
  'exactly {int} of the {int} calls succeeds and the others fail with {word}',
  function (this: StoreWorld, winners: number, total: number, code: string) {
    assert.equal(this.settled.length, total);
    const won = this.settled.filter((s) => s.status === 'fulfilled');
    assert.equal(won.length, winners, `${won.length} calls succeeded`);
    for (const s of this.settled) {
      if (s.status === 'rejected')
        assert.equal((s.reason as { code?: string }).code, code, String((s.reason as Error).message));
    }
  },
);

Given("the store takes the harness's clock and id source, as recommended", function (this: StoreWorld) {
  const { clock, ids } = this.suite.capabilities;
  if (clock && ids) return undefined;
  const missing = [clock ? '' : 'supports.clock', ids ? '' : 'supports.ids'].filter(Boolean).join(' and ');
  this.recommend('WF-DET-1', () => assert.fail(`the initializer does not declare ${missing}`));
  return 'skipped';
});

Given(
  'the runs {string} are created one after another, as fast as the store allows',
  async function (this: StoreWorld, ids: string) {
    // On a fast store several share a millisecond, so the order by id among equal created_at shows.
    for (const id of ids.split(',').map((s) => s.trim())) {
      await this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message: '' });
    }
  },
);

// --- update with its event (WF-UPD-4) ---------------------------------------------------------------

When(
  'the status of run {string} is updated to {string} with the event {string}',
  function (this: StoreWorld, id: string, status: string, type: string) {
    const event = { event_type: type };
    return this.attempt(() => this.store.updateWorkflowRun(id, { status: status as RunStatus }, { event }));
  },
);
When(
  'the status of run {string} is updated to {string} expecting status {string} with the event {string}',
  function (this: StoreWorld, id: string, status: string, expected: string, type: string) {
    const options = { expected_status: expected as RunStatus, event: { event_type: type } };
    return this.attempt(() => this.store.updateWorkflowRun(id, { status: status as RunStatus }, options));
  },
);
When(
  'the status of run {string} is updated to {string} with the completion of node {string} with output:',
  function (this: StoreWorld, id: string, status: string, node: string, output: string) {
    const event = {
      event_type: 'node_completed',
      payload: { node_id: node, output: JSON.parse(output) as JsonObject },
    };
    return this.attempt(() => this.store.updateWorkflowRun(id, { status: status as RunStatus }, { event }));
  },
);
When(
  '{int} callers at once update the status of run {string} to {string} expecting status {string} ' +
    'with the event {string}',
  async function (this: StoreWorld, callers: number, id: string, status: string, expected: string, type: string) {
    const options = { expected_status: expected as RunStatus, event: { event_type: type } };
    this.settled = await Promise.allSettled(
      Array.from({ length: callers }, () => this.store.updateWorkflowRun(id, { status: status as RunStatus }, options)),
    );
  },
);
Then(
  "the timestamp of event {int} of run {string} is the run's updated_at",
  async function (this: StoreWorld, sequence: number, id: string) {
    const run = await this.store.getWorkflowRun(id);
    const [event] = await this.store.listWorkflowEvents(id, { after_sequence: sequence - 1, limit: 1 });
    assert.ok(run !== null && event !== undefined, `run "${id}" or its event ${sequence} is missing`);
    assert.equal(event.timestamp, run.updated_at, 'the event is timestamped with the update (WF-UPD-4)');
  },
);

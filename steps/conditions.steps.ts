// Writes under conditions: updates expecting metadata (WF-CAS-3) and appends fenced by status and metadata
// (WF-SEQ-4). "expecting status "running" and metadata { "claim": "t1" }" reads as the conditions it names.

import { defineParameterType, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type {
  IWorkflowStore,
  JsonObject,
  RunStatus,
  WorkflowEvent,
  WorkflowRun,
  WriteConditions,
} from '../src/contract/types.js';
import { preview, type StoreWorld } from './support/world.js';
import { holding, tripwire } from './validation.steps.js';

defineParameterType({
  name: 'json',
  regexp: /\{.*\}/,
  transformer: (text: string) => JSON.parse(text) as JsonObject,
});

// "status "running"", "metadata { … }", or both joined by "and".
defineParameterType({
  name: 'conditions',
  regexp: /status "[a-z]*" and metadata \{.*\}|status "[a-z]*"|metadata \{.*\}/,
  transformer: (text: string): WriteConditions => {
    const status = /^status "([a-z]*)"/.exec(text)?.[1];
    const metadata = /metadata (\{.*\})$/.exec(text)?.[1];
    return {
      ...(status === undefined ? {} : { expected_status: status as RunStatus }),
      ...(metadata === undefined ? {} : { expected_metadata: JSON.parse(metadata) as JsonObject }),
    };
  },
});

/** A change racing the fenced appends: its run and its patch. */
interface Change {
  id: string;
  patch: { status?: RunStatus; metadata?: JsonObject };
}

defineParameterType({
  name: 'change',
  regexp: /run "([^"]*)" is updated with metadata (\{.*\})|the status of run "([^"]*)" is updated to "([a-z]*)"/,
  transformer: (id?: string, metadata?: string, statusOf?: string, status?: string): Change =>
    id !== undefined
      ? { id, patch: { metadata: JSON.parse(metadata!) as JsonObject } }
      : { id: statusOf!, patch: { status: status as RunStatus } },
});

/** Notes the run as it is before a conditional call, for "is refused … and nothing changes". */
async function before(world: StoreWorld, id: string): Promise<void> {
  world.notes.set('run before the call', await world.store.getWorkflowRun(id).catch(() => null));
  world.notes.set('log before the call', await world.store.listWorkflowEvents(id).catch(() => []));
}

async function update(world: StoreWorld, id: string, patch: object, conditions: WriteConditions): Promise<void> {
  await before(world, id);
  world.notes.set('patch', patch);
  return world.attempt(() => world.store.updateWorkflowRun(id, patch, conditions));
}

async function append(world: StoreWorld, run_id: string, event: object, conditions?: WriteConditions) {
  await before(world, run_id);
  return world.attempt(() => world.store.createWorkflowEvent({ run_id, ...event } as never, conditions));
}

// --- When: updates ----------------------------------------------------------------------------------

When(
  'run {string} is updated to status {string} and metadata {json} expecting {conditions}',
  function (this: StoreWorld, id: string, status: RunStatus, metadata: JsonObject, conditions: WriteConditions) {
    return update(this, id, { status, metadata }, conditions);
  },
);
When(
  'run {string} is updated to status {string} expecting {conditions}',
  function (this: StoreWorld, id: string, status: RunStatus, conditions: WriteConditions) {
    return update(this, id, { status }, conditions);
  },
);
When(
  'run {string} is updated with metadata {json} expecting {conditions}',
  function (this: StoreWorld, id: string, metadata: JsonObject, conditions: WriteConditions) {
    return update(this, id, { metadata }, conditions);
  },
);
When(
  'run {string} is updated expecting metadata holding {not-json} at {string}',
  function (this: StoreWorld, id: string, name: string, path: string) {
    const expected_metadata = holding(path, name, tripwire(this));
    return this.attempt(() => this.store.updateWorkflowRun(id, { metadata: { done: true } }, { expected_metadata }));
  },
);

When(
  '{int} callers at once update run {string} to status {string}, each setting its own pause id, expecting {conditions}',
  async function (this: StoreWorld, callers: number, id: string, status: RunStatus, conditions: WriteConditions) {
    this.settled = await Promise.allSettled(
      Array.from({ length: callers }, (_, caller) =>
        this.store.updateWorkflowRun(id, { status, metadata: { pause_id: `resumed-by-${caller}` } }, conditions),
      ),
    );
  },
);

// --- When: appends ----------------------------------------------------------------------------------

When(
  'the event {string} is appended to run {string} expecting {conditions}',
  function (this: StoreWorld, event_type: string, runId: string, conditions: WriteConditions) {
    return append(this, runId, { event_type }, conditions);
  },
);
When(
  'node {string} of run {string} completes with output {int}, expecting {conditions}',
  function (this: StoreWorld, node_id: string, runId: string, output: number, conditions: WriteConditions) {
    return append(this, runId, { event_type: 'node_completed', payload: { node_id, output } }, conditions);
  },
);
When(
  'an event is appended to run {string} expecting metadata holding {not-json} at {string}',
  function (this: StoreWorld, run_id: string, name: string, path: string) {
    const expected_metadata = holding(path, name, tripwire(this));
    return this.attempt(() => this.store.createWorkflowEvent({ run_id, event_type: 'x' }, { expected_metadata }));
  },
);
When(
  'the event {string} is appended to run {string} with options undefined, and with each option undefined',
  function (this: StoreWorld, event_type: string, run_id: string) {
    return this.attempt(async () => {
      await this.store.createWorkflowEvent({ run_id, event_type }, undefined);
      await this.store.createWorkflowEvent(
        { run_id, event_type },
        { expected_status: undefined, expected_metadata: undefined },
      );
    });
  },
);

// --- Then ---------------------------------------------------------------------------------------------

/** WF-CAS-3: a STATUS_CONFLICT names what differed in `field`. */
function conflictOn(world: StoreWorld, field: string): void {
  const error = world.failedWith('STATUS_CONFLICT');
  assert.equal(
    error.field,
    field,
    `the STATUS_CONFLICT's "field" names what differed (WF-CAS-3): ${preview(field)}, got ${preview(error.field)}`,
  );
}

Then('the call fails with STATUS_CONFLICT on {string}', function (this: StoreWorld, field: string) {
  conflictOn(this, field);
});

Then('the update applies', async function (this: StoreWorld) {
  const run = this.succeeded<WorkflowRun>();
  const patch = this.notes.get('patch') as { metadata?: JsonObject };
  for (const [key, value] of Object.entries(patch.metadata ?? {})) {
    assert.deepEqual(run.metadata[key], value, `the update applied its metadata.${key}`);
  }
  assert.deepEqual(await this.store.getWorkflowRun(run.id), run, 'the run is stored as the update returned it');
});

Then('the update is refused with STATUS_CONFLICT on {string}', async function (this: StoreWorld, field: string) {
  conflictOn(this, field);
  const was = this.notes.get('run before the call') as WorkflowRun;
  assert.deepEqual(await this.store.getWorkflowRun(was.id), was, 'nothing changed (WF-CAS-3)');
});

Then('the append is stored', async function (this: StoreWorld) {
  const event = this.succeeded<WorkflowEvent>();
  const log = await this.store.listWorkflowEvents(event.run_id);
  const was = this.notes.get('log before the call') as WorkflowEvent[];
  assert.deepEqual(log, [...was, event], 'the event is appended after those before it, as returned');
});

Then('the append is refused with STATUS_CONFLICT on {string}', async function (this: StoreWorld, field: string) {
  conflictOn(this, field);
  const was = this.notes.get('log before the call') as WorkflowEvent[];
  const runId = (this.notes.get('run before the call') as WorkflowRun).id;
  assert.deepEqual(await this.store.listWorkflowEvents(runId), was, 'nothing was written (WF-SEQ-4)');
});

Then('the run {string} holds the pause id of the call that won', async function (this: StoreWorld, id: string) {
  const winner = this.settled.findIndex((s) => s.status === 'fulfilled');
  assert.equal((await this.store.getWorkflowRun(id))?.metadata.pause_id, `resumed-by-${winner}`);
});

// --- fenced appends racing a change -----------------------------------------------------------------------

/**
 * `count` appends fenced by `conditions`, half started before the change (an update with its event, as an
 * engine records a cancel or a new claim), half after, all under way together.
 */
async function race(
  world: StoreWorld,
  appender: IWorkflowStore,
  runId: string,
  count: number,
  conditions: WriteConditions,
  change: Change,
  changed: string,
): Promise<void> {
  const fenced = (i: number) =>
    appender.createWorkflowEvent({ run_id: runId, event_type: 'fenced', payload: { i } }, conditions);
  const first = Array.from({ length: count / 2 }, (_, i) => fenced(i));
  await new Promise((resolve) => setImmediate(resolve));
  const changing = world.store.updateWorkflowRun(change.id, change.patch, { event: { event_type: changed } });
  const second = Array.from({ length: count - first.length }, (_, i) => fenced(first.length + i));
  const [settled, changeDone] = await Promise.all([
    Promise.allSettled([...first, ...second]),
    changing.then(
      () => undefined,
      (error: unknown) => error,
    ),
  ]);
  assert.equal(changeDone, undefined, `the change itself failed: ${String((changeDone as Error)?.message)}`);
  world.settled = settled;
  world.notes.set('fenced run', runId);
}

When(
  '{int} events fenced by {conditions} are appended to run {string} while {change}, with the event {string}',
  function (this: StoreWorld, count: number, conditions: WriteConditions, runId: string, change: Change, e: string) {
    return race(this, this.store, runId, count, conditions, change, e);
  },
);

When(
  '{int} events fenced by {conditions} are appended to run {string} through a second store over the same data ' +
    'while {change}, with the event {string}',
  async function (this: StoreWorld, count: number, conditions: WriteConditions, runId: string, change: Change, e) {
    const second = await this.suite.initializer.openAlongside!(this.store);
    try {
      await race(this, second, runId, count, conditions, change, e as string);
    } finally {
      await second.close();
    }
  },
);

Then(
  'no fenced event is in the log of run {string} after the event {string}',
  async function (this: StoreWorld, runId: string, changed: string) {
    const log = await this.store.listWorkflowEvents(runId);
    const change = log.find((e) => e.event_type === changed);
    assert.ok(change !== undefined, `the event "${changed}" is not in the log`);
    const late = log.filter((e) => e.event_type === 'fenced' && e.sequence > change.sequence);
    assert.deepEqual(
      late.map((e) => e.sequence),
      [],
      `fenced appends landed after "${changed}" (event ${change.sequence}), when the run no longer matched (WF-SEQ-4)`,
    );
  },
);

Then('each fenced append either is in the log or failed with STATUS_CONFLICT', async function (this: StoreWorld) {
  const log = await this.store.listWorkflowEvents(this.notes.get('fenced run') as string);
  for (const outcome of this.settled) {
    if (outcome.status === 'fulfilled') {
      const event = outcome.value as WorkflowEvent;
      assert.deepEqual(log[event.sequence - 1], event, `an acknowledged append is listed as returned`);
    } else {
      const { code, field } = outcome.reason as { code?: unknown; field?: unknown };
      assert.equal(code, 'STATUS_CONFLICT', String((outcome.reason as Error)?.message));
      assert.ok(
        field === 'status' || (typeof field === 'string' && field.startsWith('metadata.')),
        `a STATUS_CONFLICT names what differed (WF-CAS-3), got the field ${preview(field)}`,
      );
    }
  }
  const acknowledged = this.settled.filter((s) => s.status === 'fulfilled').length;
  assert.equal(log.filter((e) => e.event_type === 'fenced').length, acknowledged, 'no refused append was written');
});

Then('the log of run {string} is numbered 1 to its length', async function (this: StoreWorld, runId: string) {
  const log = await this.store.listWorkflowEvents(runId);
  assert.deepEqual(
    log.map((e) => e.sequence),
    log.map((_, i) => i + 1),
  );
});

// Several events committed with one update (WF-UPD-5): the list as the scenario writes it, lists of a
// given size, lists and events that are not what they seem, and who won a race of updates with events.

import { type DataTable, defineParameterType, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { JSON_MAX_BYTES } from '../src/contract/limits.js';
import type { JsonObject, RunStatus, WorkflowEventInput, WorkflowRun } from '../src/contract/types.js';
import { INPUT_KINDS } from './arguments.steps.js';
import type { StoreWorld } from './support/world.js';
import { countingHandler, holding, tripwire, type Tripwire } from './validation.steps.js';

type Events = WorkflowEventInput[];

/** The events of a table with the columns event_type and, optionally, payload (JSON; empty means none). */
function eventsOf(table: DataTable): Events {
  return table.hashes().map((row) => ({
    event_type: row.event_type!,
    ...(row.payload ? { payload: JSON.parse(row.payload) as JsonObject } : {}),
  }));
}

/** `count` events "e1", "e2", …, each with its place in the payload. */
const numbered = (count: number, prefix = 'e'): Events =>
  Array.from({ length: count }, (_, i) => ({ event_type: `${prefix}${i + 1}`, payload: { i: i + 1 } }));

function updateWith(world: StoreWorld, id: string, patch: object, options: object): Promise<void> {
  return world.attempt(() => world.store.updateWorkflowRun(id, patch, options as never));
}

When(
  'the status of run {string} is updated to {string} with the events:',
  function (this: StoreWorld, id: string, status: string, table: DataTable) {
    return updateWith(this, id, { status }, { events: eventsOf(table) });
  },
);

When(
  'the status of run {string} is updated to {string} expecting status {string} with the events:',
  function (this: StoreWorld, id: string, status: string, expected: string, table: DataTable) {
    return updateWith(this, id, { status }, { expected_status: expected, events: eventsOf(table) });
  },
);

When(
  'run {string} is updated with metadata {json} and the events:',
  function (this: StoreWorld, id: string, metadata: JsonObject, table: DataTable) {
    return updateWith(this, id, { metadata }, { events: eventsOf(table) });
  },
);

When(
  'the status of run {string} is updated to {string} with {int} events',
  function (this: StoreWorld, id: string, status: string, count: number) {
    return updateWith(this, id, { status }, { events: numbered(count) });
  },
);

When(
  'the status of run {string} is updated to {string} with an empty list of events',
  function (this: StoreWorld, id: string, status: string) {
    return updateWith(this, id, { status }, { events: [] });
  },
);

When(
  'the status of run {string} is updated to {string} with both an event and a list of events',
  function (this: StoreWorld, id: string, status: string) {
    return updateWith(this, id, { status }, { event: { event_type: 'one' }, events: numbered(2) });
  },
);

When(
  'run {string} is updated with 3 events, the payload of the second holding {not-json} at {string}',
  function (this: StoreWorld, id: string, name: string, path: string) {
    const events = numbered(3);
    events[1] = { event_type: 'e2', payload: holding(path, name, tripwire(this)) };
    return updateWith(this, id, { status: 'completed' }, { events });
  },
);

const MiB = 1024 * 1024;
/** A payload of exactly `bytes` bytes of JSON: {"big":"…"} is 10 bytes around the string. */
const payloadOf = (bytes: number): JsonObject => ({ big: 'x'.repeat(bytes - 10) });

When(
  'the status of run {string} is updated to {string} with 2 events, the second with a payload of 16 MiB and one byte',
  function (this: StoreWorld, id: string, status: string) {
    const events = [{ event_type: 'small' }, { event_type: 'big', payload: payloadOf(JSON_MAX_BYTES + 1) }];
    return updateWith(this, id, { status }, { events });
  },
);

When(
  'the status of run {string} is updated to {string} with 2 events of exactly 16 MiB each',
  function (this: StoreWorld, id: string, status: string) {
    const big = { event_type: 'big', payload: payloadOf(16 * MiB) };
    return updateWith(this, id, { status }, { events: [big, { ...big }] });
  },
);

/** Lists of three valid events that are not plain arrays, or hide one of them; traps and getters count. */
const LISTS: Record<string, (events: Events, wire: Tripwire) => unknown> = {
  'a Proxy array': (events, wire) => new Proxy(events, countingHandler(wire)),
  'an array of a subclass of Array': (events) => EventList.from(events),
  'an array of another realm': (events) => {
    const list = vm.runInNewContext('[]') as unknown[];
    list.push(...events);
    return list;
  },
  'an array-like object': (events) => ({ ...events, length: events.length }),
  'an array with an extra property': (events) => Object.assign(events, { extra: 'dropped' }),
  'an array with a getter': (events, wire) =>
    Object.defineProperty(events, 1, {
      get: () => (wire.calls++ === 0 ? events[0] : 10n),
      enumerable: true,
      configurable: true,
    }),
  'a sparse array': (events) => {
    delete events[1];
    return events;
  },
};

class EventList extends Array<WorkflowEventInput> {}

defineParameterType({
  name: 'event-list',
  regexp: new RegExp(
    Object.keys(LISTS)
      .sort((a, b) => b.length - a.length)
      .join('|'),
  ),
  transformer: (name: string) => name,
});

When(
  'run {string} is updated to {string} with its events given as {event-list}',
  function (this: StoreWorld, id: string, status: string, kind: string) {
    const events = LISTS[kind]!(numbered(3), tripwire(this));
    return updateWith(this, id, { status }, { events });
  },
);

When(
  'run {string} is updated to {string} with its second event given as {input-kind}',
  function (this: StoreWorld, id: string, status: string, kind: string) {
    const events: unknown[] = numbered(3);
    events[1] = INPUT_KINDS[kind]!({ event_type: 'e2' });
    return updateWith(this, id, { status }, { events });
  },
);

When(
  '{int} callers at once update the status of run {string} to {string} expecting status {string}, each with 3 events',
  async function (this: StoreWorld, callers: number, id: string, status: string, expected: string) {
    this.settled = await Promise.allSettled(
      Array.from({ length: callers }, (_, caller) =>
        this.store.updateWorkflowRun(
          id,
          { status: status as RunStatus, metadata: { caller } },
          {
            expected_status: expected as RunStatus,
            events: [1, 2, 3].map((part) => ({ event_type: `part${part}`, payload: { caller, part } })),
          },
        ),
      ),
    );
  },
);

Then('the 3 events of run {string} are those of the call that won', async function (this: StoreWorld, id: string) {
  const won = this.settled.find((s): s is PromiseFulfilledResult<WorkflowRun> => s.status === 'fulfilled');
  assert.ok(won !== undefined, 'no call won');
  const caller = won.value.metadata.caller;
  const events = await this.store.listWorkflowEvents(id);
  assert.deepEqual(
    events.map((e) => [e.event_type, e.payload]),
    [1, 2, 3].map((part) => [`part${part}`, { caller, part }]),
    `the events are those of the winner, caller ${String(caller)}, in its order`,
  );
});

Then(
  "events {int} to {int} of run {string} are timestamped with the run's updated_at",
  async function (this: StoreWorld, from: number, to: number, id: string) {
    const run = await this.store.getWorkflowRun(id);
    assert.ok(run !== null, `run "${id}" does not exist`);
    const events = await this.store.listWorkflowEvents(id, { after_sequence: from - 1, limit: to - from + 1 });
    assert.equal(events.length, to - from + 1, `run "${id}" has events ${from} to ${to}`);
    const other = events.filter((e) => e.timestamp !== run.updated_at);
    assert.deepEqual(
      other.map((e) => `event ${e.sequence}: ${e.timestamp}`),
      [],
      `each event committed with the update is timestamped with its updated_at ${run.updated_at} (WF-UPD-5)`,
    );
  },
);

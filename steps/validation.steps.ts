import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { JSON_MAX_BYTES } from '../src/contract/limits.js';
import type { CreateWorkflowRunInput, JsonObject, RunStatus, WorkflowEvent } from '../src/contract/types.js';
import { hardJsonValue } from '../src/conformance/support/hard-json.js';
import type { StoreWorld } from './support/world.js';

/**
 * Things JSON cannot hold, by the name a scenario gives them. Each puts itself at `key` of `holder`; the
 * getters and Proxy traps among them count their calls in `wire`, as the store must never run them.
 */
type Plant = (holder: object, key: string, wire: Tripwire) => void;

/** Calls of getters and Proxy traps a scenario planted. */
export interface Tripwire {
  calls: number;
}

const value =
  (make: (wire: Tripwire) => unknown): Plant =>
  (holder, key, wire) =>
    Object.defineProperty(holder, key, { value: make(wire), enumerable: true, writable: true, configurable: true });

/** A getter that counts its calls; JSON the first time, a BigInt (which JSON.stringify throws on) after. */
const changingGetter = (wire: Tripwire) => () => (wire.calls++ === 0 ? 1 : 10n);

/** A Proxy handler whose every trap counts its call before doing the default. */
export function countingHandler<T extends object>(wire: Tripwire): ProxyHandler<T> {
  return new Proxy({} as ProxyHandler<T>, {
    get:
      (_handler, trap: keyof typeof Reflect) =>
      (...args: unknown[]) => {
        wire.calls++;
        return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
      },
  });
}

class Tags extends Array<string> {}

const NOT_JSON: Record<string, Plant> = {
  'a Date': value(() => new Date(0)),
  'a BigInt': value(() => 10n),
  NaN: value(() => NaN),
  Infinity: value(() => Infinity),
  undefined: value(() => undefined),
  'a function': value(() => () => 1),
  'a Map': value(() => new Map([['k', 1]])),
  'a class instance': value(
    () =>
      new (class Point {
        x = 1;
      })(),
  ),
  'a cycle': value(() => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    return node;
  }),
  // Read once, never run: these hide data from a JSON.stringify or change it between reads.
  'a getter': (holder, key, wire) =>
    Object.defineProperty(holder, key, { get: changingGetter(wire), enumerable: true, configurable: true }),
  'an array with a getter': value((wire) =>
    Object.defineProperty(['first', 'second'], 1, { get: changingGetter(wire), enumerable: true }),
  ),
  'an array with an extra property': value(() => Object.assign(['first', 'second'], { extra: 'dropped' })),
  'a non-enumerable property': (holder, key) =>
    Object.defineProperty(holder, key, { value: 'hidden', enumerable: false, configurable: true }),
  'an array with a non-enumerable property': value(() =>
    Object.defineProperty(['first'], 'hidden', { value: 'dropped', enumerable: false }),
  ),
  'a Proxy': value((wire) => new Proxy({ at: 1 }, countingHandler(wire))),
  'a Proxy array': value((wire) => new Proxy(['first', 'second'], countingHandler(wire))),
  // Arrays and objects in all but their prototype (WF-VAL-17): stored as they read, they would pass.
  'an array of a subclass of Array': value(() => Tags.from(['first', 'second'])),
  'an array of another realm': value(() => vm.runInNewContext('["first", "second"]') as unknown),
  'an object of another realm': value(() => vm.runInNewContext('({ at: 1 })') as unknown),
  'a setter': (holder, key) =>
    Object.defineProperty(holder, key, { set: () => {}, enumerable: true, configurable: true }),
  'a symbol key': value(() => ({ at: 1, [Symbol('hidden')]: 'dropped' })),
};

// Longest names first, so that "a Proxy" does not stop short of "a Proxy array".
const names = Object.keys(NOT_JSON).sort((a, b) => b.length - a.length);
defineParameterType({
  name: 'not-json',
  regexp: new RegExp(names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')),
  transformer: (name: string) => name,
});
defineParameterType({
  name: 'bad-text',
  regexp: /NUL|a lone surrogate/,
  transformer: (name: string) => (name === 'NUL' ? 'a\u0000b' : 'a\ud800b'),
});

/** Plants `name` at a path like "steps[1].when" or "tags" inside a fresh object. */
export function holding(path: string, name: string, wire: Tripwire): JsonObject {
  const match = /^(\w+)(?:\[(\d+)\]\.(\w+))?$/.exec(path);
  assert.ok(match, `unsupported path ${path}`);
  const [, first, index, key] = match;
  const root: Record<string, unknown> = {};
  let holder = root;
  if (index !== undefined) {
    const items: unknown[] = Array.from({ length: Number(index) + 1 }, () => ({ ok: true }));
    holder = {};
    items[Number(index)] = holder;
    root[first!] = items;
  }
  NOT_JSON[name]!(holder, key ?? first!, wire);
  return root as JsonObject;
}

/** The scenario's tripwire: getters and Proxy traps it planted count here. */
export function tripwire(world: StoreWorld): Tripwire {
  const wire = { calls: 0 };
  world.notes.set('tripwire', wire);
  return wire;
}

When('a workflow run with id {string} is created', function (this: StoreWorld, id: string) {
  return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message: '' }));
});

When('a workflow run with id of length {int} is created', function (this: StoreWorld, length: number) {
  return this.attempt(() =>
    this.store.createWorkflowRun({ id: 'r'.repeat(length), workflow_name: 'wf', user_message: '' }),
  );
});

When(
  'an event is appended to run {string} whose payload holds {not-json} at {string}',
  function (this: StoreWorld, runId: string, name: string, path: string) {
    const payload = holding(path, name, tripwire(this));
    return this.attempt(() => this.store.createWorkflowEvent({ run_id: runId, event_type: 'x', payload }));
  },
);

When(
  'a workflow run {string} is created with metadata holding {not-json} at {string}',
  function (this: StoreWorld, id: string, name: string, path: string) {
    const metadata = holding(path, name, tripwire(this));
    return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message: '', metadata }));
  },
);

When(
  'run {string} is updated with a metadata patch holding {not-json} at {string}',
  function (this: StoreWorld, id: string, name: string, path: string) {
    const metadata = holding(path, name, tripwire(this));
    return this.attempt(() => this.store.updateWorkflowRun(id, { metadata }));
  },
);

When(
  'a workflow run {string} is created from an input whose workflow_name is a getter',
  function (this: StoreWorld, id: string) {
    const wire = tripwire(this);
    const input = { id, user_message: '' } as CreateWorkflowRunInput;
    Object.defineProperty(input, 'workflow_name', {
      get: () => {
        wire.calls++;
        return 'wf';
      },
      enumerable: true,
      configurable: true,
    });
    return this.attempt(() => this.store.createWorkflowRun(input));
  },
);

When(
  'an event is appended to run {string} from an input object that is a Proxy',
  function (this: StoreWorld, runId: string) {
    const input = new Proxy({ run_id: runId, event_type: 'x' }, countingHandler(tripwire(this)));
    return this.attempt(() => this.store.createWorkflowEvent(input));
  },
);

Then('no getter or Proxy trap of the input was run', function (this: StoreWorld) {
  const wire = this.notes.get('tripwire') as Tripwire | undefined;
  assert.ok(wire !== undefined, 'no input with getters or Proxies was made');
  assert.equal(wire.calls, 0, `the store ran ${wire.calls} getter or Proxy trap call(s) of the input`);
});

When(
  'a workflow run {string} is created with {bad-text} in {word}',
  function (this: StoreWorld, id: string, text: string, field: string) {
    const input = { id, workflow_name: 'wf', user_message: '', [field]: text };
    return this.attempt(() => this.store.createWorkflowRun(input));
  },
);

When(
  'run {string} is updated with the misspelt option {string} set to {string}',
  function (this: StoreWorld, id: string, option: string, value: string) {
    return this.attempt(() => this.store.updateWorkflowRun(id, { status: 'running' }, { [option]: value } as never));
  },
);

When(
  'a workflow run {string} is created with a workflow name of {int} characters',
  function (this: StoreWorld, id: string, length: number) {
    return this.attempt(() =>
      this.store.createWorkflowRun({ id, workflow_name: 'n'.repeat(length), user_message: '' }),
    );
  },
);

When(
  'a workflow run {string} is created with a workflow name of {int} characters outside the BMP',
  function (this: StoreWorld, id: string, characters: number) {
    // U+1F600 is two UTF-16 code units.
    const workflow_name = '\u{1F600}'.repeat(characters);
    return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name, user_message: '' }));
  },
);

When('a workflow run {string} is created with an empty workflow name', function (this: StoreWorld, id: string) {
  return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: '', user_message: '' }));
});

When(
  'an event is appended to run {string} with a payload of 16 MiB plus one byte',
  function (this: StoreWorld, runId: string) {
    const filler = 'x'.repeat(JSON_MAX_BYTES - '{"big":""}'.length + 1);
    return this.attempt(() =>
      this.store.createWorkflowEvent({ run_id: runId, event_type: 'x', payload: { big: filler } }),
    );
  },
);

// --- JSON fidelity ---------------------------------------------------------------------------------

/** Deep-equal to what JSON itself gives back, keys in the same order. */
function assertSameJson(actual: unknown, sent: unknown): void {
  const expected: unknown = JSON.parse(JSON.stringify(sent));
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), 'keys in the same order');
}

When(
  'node {string} of run {string} completes with the hard JSON value as output and in the payload',
  async function (this: StoreWorld, nodeId: string, runId: string) {
    const hard = hardJsonValue();
    const payload = { node_id: nodeId, output: hard, ...hard };
    this.notes.set('sent payload', payload);
    await this.attempt(() => this.store.createWorkflowEvent({ run_id: runId, event_type: 'node_completed', payload }));
    this.notes.set('listed', await this.store.listWorkflowEvents(runId));
  },
);

When(
  'a workflow run {string} is created with the hard JSON value as metadata',
  function (this: StoreWorld, id: string) {
    return this.attempt(() =>
      this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message: '', metadata: hardJsonValue() }),
    );
  },
);

Then("the listed event's payload is deep-equal to what was sent, key order included", function (this: StoreWorld) {
  const returned = this.succeeded<WorkflowEvent>();
  const [listed] = this.notes.get('listed') as WorkflowEvent[];
  assertSameJson(listed?.payload, this.notes.get('sent payload'));
  assertSameJson(returned.payload, this.notes.get('sent payload'));
});

Then(
  'the output of node {string} in run {string} is deep-equal to the hard JSON value, key order included',
  async function (this: StoreWorld, nodeId: string, runId: string) {
    assertSameJson((await this.store.getCompletedDagNodeOutputs(runId)).get(nodeId), hardJsonValue());
  },
);

Then(
  'the metadata of run {string} is deep-equal to the hard JSON value, key order included',
  async function (this: StoreWorld, id: string) {
    assertSameJson((await this.store.getWorkflowRun(id))?.metadata, hardJsonValue());
  },
);

Then(
  "the listed event's payload has the own keys {string} and a plain prototype",
  async function (this: StoreWorld, keys: string) {
    const { run_id } = this.succeeded<WorkflowEvent>();
    const [listed] = await this.store.listWorkflowEvents(run_id);
    assert.ok(listed !== undefined, 'no event listed');
    assert.deepEqual(
      Object.keys(listed.payload),
      keys.split(',').map((k) => k.trim()),
    );
    assert.equal(Object.getPrototypeOf(listed.payload), Object.prototype);
    assert.equal(
      (listed.payload as { polluted?: unknown }).polluted,
      undefined,
      'the "__proto__" key did not become the prototype',
    );
  },
);

// --- event types, depth, counts --------------------------------------------------------------------

When(
  'the event of length {int} is appended to run {string}',
  function (this: StoreWorld, length: number, runId: string) {
    return this.attempt(() => this.store.createWorkflowEvent({ run_id: runId, event_type: 'e'.repeat(length) }));
  },
);

/** A payload whose containers nest `levels` deep, the payload itself being the first. */
function nested(levels: number): JsonObject {
  let value: JsonObject = {};
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
}

When(
  'an event is appended to run {string} whose payload nests {int} levels deep',
  function (this: StoreWorld, runId: string, levels: number) {
    const payload = nested(levels);
    return this.attempt(() => this.store.createWorkflowEvent({ run_id: runId, event_type: 'deep', payload }));
  },
);

When(
  'the events of run {string} are listed with {word} set to {}',
  function (this: StoreWorld, runId: string, option: string, value: string) {
    const options = { [option]: JSON.parse(value) as unknown };
    return this.attempt(() => this.store.listWorkflowEvents(runId, options as never));
  },
);

// --- sizes in bytes, generic calls --------------------------------------------------------------------

const MiB = 1024 * 1024;
/** A string of `bytes` UTF-8 bytes made of two-byte characters ("é"), one "a" when `bytes` is odd. */
const twoByte = (bytes: number) => 'é'.repeat(Math.floor(bytes / 2)) + (bytes % 2 ? 'a' : '');

const SIXTEEN_MIB_PAYLOAD = new RegExp(
  '^an event is appended to run "([^"]*)" whose payload is ' +
    '(exactly 16 MiB|16 MiB and one byte) of two-byte characters$',
);
const SIXTEEN_MIB_METADATA = new RegExp(
  '^a workflow run "([^"]*)" is created with metadata of ' +
    '(exactly 16 MiB|16 MiB and one byte) of two-byte characters$',
);
const ONE_MIB_USER_MESSAGE = new RegExp(
  '^a workflow run "([^"]*)" is created with a user message of ' +
    '(exactly 1 MiB|1 MiB and one byte) of two-byte characters$',
);

When(SIXTEEN_MIB_PAYLOAD, function (this: StoreWorld, runId: string, size: string) {
  // {"big":"…"} is 10 bytes of JSON around the string.
  const payload = { big: twoByte(16 * MiB - 10 + (size === 'exactly 16 MiB' ? 0 : 1)) };
  return this.attempt(() => this.store.createWorkflowEvent({ run_id: runId, event_type: 'big', payload }));
});

When(SIXTEEN_MIB_METADATA, function (this: StoreWorld, id: string, size: string) {
  // {"big":"…"} is 10 bytes of JSON around the string.
  const metadata = { big: twoByte(16 * MiB - 10 + (size === 'exactly 16 MiB' ? 0 : 1)) };
  return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message: '', metadata }));
});

When(ONE_MIB_USER_MESSAGE, function (this: StoreWorld, id: string, size: string) {
  const user_message = twoByte(MiB + (size === 'exactly 1 MiB' ? 0 : 1));
  return this.attempt(() => this.store.createWorkflowRun({ id, workflow_name: 'wf', user_message }));
});

Given(
  'a workflow run {string} with {int} MiB of metadata under {string}',
  async function (this: StoreWorld, id: string, mib: number, key: string) {
    await this.store.createWorkflowRun({
      id,
      workflow_name: 'wf',
      user_message: '',
      metadata: { [key]: 'x'.repeat(mib * MiB) },
    });
    await this.snapshot(id);
  },
);

When(
  'run {string} is updated with {int} MiB of metadata under {string}',
  function (this: StoreWorld, id: string, mib: number, key: string) {
    return this.attempt(() => this.store.updateWorkflowRun(id, { metadata: { [key]: 'y'.repeat(mib * MiB) } }));
  },
);

When(
  'run {string} is updated to status {string} with {int} MiB of metadata under {string}',
  function (this: StoreWorld, id: string, status: string, mib: number, key: string) {
    const patch = { status: status as RunStatus, metadata: { [key]: 'y'.repeat(mib * MiB) } };
    return this.attempt(() => this.store.updateWorkflowRun(id, patch));
  },
);

const OPERATIONS = [
  'createWorkflowRun',
  'listWorkflowRuns',
  'updateWorkflowRun',
  'createWorkflowEvent',
  'listWorkflowEvents',
] as const;

/** Calls `operation` of the scenario's store with `args` as they are, keeping the outcome. */
export function callWith(world: StoreWorld, operation: string, args: unknown[]): Promise<void> {
  assert.ok(
    (OPERATIONS as readonly string[]).includes(operation),
    `"${operation}" is not one of ${OPERATIONS.join(', ')}`,
  );
  const method = (world.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[operation]!;
  return world.attempt(() => method.apply(world.store, args));
}

When('{word} is called with the arguments:', function (this: StoreWorld, operation: string, json: string) {
  return callWith(this, operation, JSON.parse(json) as unknown[]);
});

Then('no run but {string} exists', async function (this: StoreWorld, id: string) {
  assert.deepEqual(
    (await this.store.listWorkflowRuns()).map((r) => r.id),
    [id],
  );
});

When(
  'an event is appended to run {string} whose payload holds one object at {string} and at {string}',
  function (this: StoreWorld, runId: string, a: string, b: string) {
    const shared = { shared: [1] };
    return this.attempt(() =>
      this.store.createWorkflowEvent({ run_id: runId, event_type: 'x', payload: { [a]: shared, [b]: shared } }),
    );
  },
);

When(
  'a workflow run {string} is created with id, status and metadata given as undefined where optional',
  function (this: StoreWorld, id: string) {
    return this.attempt(async () => {
      await this.store.createWorkflowRun({
        id,
        workflow_name: 'wf',
        user_message: '',
        status: undefined,
        metadata: undefined,
      });
      await this.store.listWorkflowRuns({ status: undefined, workflow_name: undefined, limit: undefined });
      await this.store.updateWorkflowRun(
        id,
        { status: undefined, metadata: undefined },
        { expected_status: undefined },
      );
    });
  },
);

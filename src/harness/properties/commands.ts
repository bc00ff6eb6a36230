// One command per operation. Each runs on the model and on every store, and demands the same outcome:
// the same value (after a JSON round trip) or the same error code.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IWorkflowStore, JsonObject, RunStatus } from '../../contract/types.js';
import * as arb from './arbitraries.js';
import type { Outcome, StoreModel } from './model.js';

export interface Subject {
  name: string;
  store: IWorkflowStore;
  reopen(): Promise<void>;
}

export interface Real {
  subjects: Subject[];
  clock: { advance(ms: number): unknown };
}

export interface ModelState {
  model: StoreModel;
}

/** Renders a call as TypeScript you could paste into a test. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof Map) return 'new Map()';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    if (seen.has(value)) return '(cycle)';
    seen.add(value);
    try {
      return `{ ${Object.keys(value)
        .map(
          (k) =>
            `${/^[A-Za-z_$][\w$]*$/.test(k) && k !== '__proto__' ? k : JSON.stringify(k)}: ${show((value as Record<string, unknown>)[k])}`,
        )
        .join(', ')} }`;
    } finally {
      seen.delete(value);
    }
  }
  return String(value);
}
const seen = new Set<object>();

async function outcomeOf<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      ok: false,
      code: code ?? `a ${(error as Error)?.name ?? 'thrown value'} without code: ${(error as Error)?.message}`,
    };
  }
}

const describeOutcome = (o: Outcome<unknown>) => (o.ok ? `ok → ${show(o.value).slice(0, 400)}` : o.code);

/** A call of the interface, the same on the model (which takes the same arguments) and on each store. */
class Call implements fc.AsyncCommand<ModelState, Real> {
  constructor(
    private readonly method: keyof Omit<IWorkflowStore, 'close'>,
    private readonly args: unknown[],
    private readonly normalize: (value: unknown) => unknown = (v) => v,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: ModelState, r: Real): Promise<void> {
    const model = m.model as unknown as Record<string, (...args: unknown[]) => Outcome<unknown>>;
    const expected = model[this.method]!(...this.args);
    for (const subject of r.subjects) {
      const store = subject.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const actual = await outcomeOf(() => store[this.method]!(...this.args));
      const same =
        expected.ok === actual.ok &&
        (expected.ok
          ? sameJson(this.normalize((actual as { value: unknown }).value), expected.value)
          : expected.code === (actual as { code: string }).code);
      if (!same) {
        throw new Error(
          `backend "${subject.name}" differs from the model at\n  ${this.toString()}\n  model:   ${describeOutcome(expected)}\n  ${subject.name}: ${describeOutcome(actual)}`,
        );
      }
    }
  }
  toString(): string {
    return `await store.${this.method}(${this.args.map(show).join(', ')});`;
  }
}

function sameJson(actual: unknown, expected: unknown): boolean {
  try {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(actual ?? null)), expected ?? null);
    return JSON.stringify(actual ?? null) === JSON.stringify(expected ?? null);
  } catch {
    return false;
  }
}

class Reopen implements fc.AsyncCommand<ModelState, Real> {
  check = () => true;
  async run(_m: ModelState, r: Real): Promise<void> {
    for (const subject of r.subjects) await subject.reopen();
  }
  toString = () => 'store = await reopen(store);';
}

/** close(), then a call must fail with STORE_CLOSED; then the same data is opened again. */
class CloseThenCall implements fc.AsyncCommand<ModelState, Real> {
  check = () => true;
  async run(_m: ModelState, r: Real): Promise<void> {
    for (const subject of r.subjects) {
      await subject.store.close();
      const after = await outcomeOf(() => subject.store.getWorkflowRun('r1'));
      if (after.ok || after.code !== 'STORE_CLOSED') {
        throw new Error(
          `backend "${subject.name}" differs from the model at\n  ${this.toString()}\n  model:   STORE_CLOSED\n  ${subject.name}: ${describeOutcome(after)}`,
        );
      }
      await subject.reopen();
    }
  }
  toString = () => 'await store.close(); await store.getWorkflowRun("r1"); store = await reopen(store);';
}

class AdvanceClock implements fc.AsyncCommand<ModelState, Real> {
  constructor(private readonly ms: number) {}
  check = () => true;
  async run(_m: ModelState, r: Real): Promise<void> {
    r.clock.advance(this.ms);
  }
  toString = () => `clock.advance(${this.ms});`;
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Drops undefined fields, so the argument prints as a user would write it. */
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const mapEntries = (value: unknown) => (value instanceof Map ? [...value] : value);

export function commandArbitraries(options: { reopen: boolean }): fc.Arbitrary<fc.AsyncCommand<ModelState, Real>>[] {
  const list: fc.Arbitrary<fc.AsyncCommand<ModelState, Real>>[] = [
    fc
      .record({
        id: fc.option(arb.runId, { nil: undefined, freq: 6 }),
        workflow_name: arb.workflowName,
        user_message: arb.userMessage,
        status: maybe(arb.status),
        metadata: maybe(arb.jsonObject),
      })
      .map((input) => new Call('createWorkflowRun', [defined(input)])),
    arb.runId.map((id) => new Call('getWorkflowRun', [id])),
    fc
      .record({ status: maybe(arb.status), workflow_name: maybe(arb.workflowName), limit: maybe(fc.nat({ max: 4 })) })
      .map((options) => new Call('listWorkflowRuns', [defined(options)])),
    fc
      .tuple(arb.runId, maybe(arb.status), maybe(arb.jsonObject), maybe(arb.status))
      .map(
        ([id, status, metadata, expected]) =>
          new Call('updateWorkflowRun', [id, defined({ status, metadata }), defined({ expected_status: expected })]),
      ),
    // The resume pattern, often: failed → running with compare-and-set.
    fc
      .tuple(arb.runId, fc.constantFrom<RunStatus>('running', 'failed', 'completed'))
      .map(
        ([id, to]) =>
          new Call('updateWorkflowRun', [
            id,
            { status: to },
            { expected_status: to === 'running' ? 'failed' : 'running' },
          ]),
      ),
    arb.runId.map((id) => new Call('deleteWorkflowRun', [id])),
    fc
      .tuple(arb.runId, arb.eventType, arb.nodeId, maybe(arb.jsonValue), arb.jsonObject)
      .map(([run_id, event_type, node_id, output, extra]) => {
        const payload: JsonObject =
          event_type === 'node_completed' ? { ...extra, node_id, ...(output === undefined ? {} : { output }) } : extra;
        return new Call('createWorkflowEvent', [{ run_id, event_type, payload }]);
      }),
    fc
      .tuple(arb.runId, maybe(fc.nat({ max: 6 })), maybe(fc.nat({ max: 4 })))
      .map(([id, after_sequence, limit]) => new Call('listWorkflowEvents', [id, defined({ after_sequence, limit })])),
    arb.runId.map((id) => new Call('getCompletedDagNodeOutputs', [id], mapEntries)),
    fc.integer({ min: -5_000, max: 10_000 }).map((ms) => new AdvanceClock(ms)),
    // Calls that must be refused: invalid ids, values that are not JSON, unknown fields.
    arb.invalidId.map((id) => new Call('createWorkflowRun', [{ id, workflow_name: 'w', user_message: '' }])),
    fc
      .tuple(
        arb.invalidId,
        fc.constantFrom(
          'getWorkflowRun',
          'deleteWorkflowRun',
          'listWorkflowEvents',
          'getCompletedDagNodeOutputs',
        ) as fc.Arbitrary<'getWorkflowRun'>,
      )
      .map(([id, method]) => new Call(method, [id])),
    fc
      .tuple(arb.runId, arb.notJson)
      .map(
        ([run_id, [, make]]) =>
          new Call('createWorkflowEvent', [{ run_id, event_type: 'x', payload: { value: make() } }]),
      ),
    fc
      .tuple(arb.runId, arb.notJson)
      .map(([id, [, make]]) => new Call('updateWorkflowRun', [id, { metadata: { value: make() } }, {}])),
    arb.runId.map((id) => new Call('updateWorkflowRun', [id, { status: 'running' }, { expectedStatus: 'failed' }])),
    fc
      .tuple(arb.runId, arb.badText, fc.boolean())
      .map(
        ([id, text, inName]) =>
          new Call('createWorkflowRun', [{ id, workflow_name: inName ? text : 'w', user_message: inName ? '' : text }]),
      ),
  ];
  if (options.reopen) list.push(fc.constant(new Reopen()), fc.constant(new CloseThenCall()));
  // fc.commands picks among the arbitraries evenly: repeat the ones that build up state, so that runs
  // gather events, outputs and status changes before they are read.
  const [create, , , update, resume, remove, append, listEvents, outputs] = list;
  return [
    ...list,
    create!,
    create!,
    create!,
    create!,
    append!,
    append!,
    append!,
    append!,
    append!,
    update!,
    resume!,
    remove!,
    listEvents!,
    listEvents!,
    outputs!,
    outputs!,
  ];
}

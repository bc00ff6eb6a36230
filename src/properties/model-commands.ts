// One command per operation. Each runs on the model and on every store, and demands the same outcome:
// the same value (after a JSON round trip) or the same error code, or another the judged version allows
// (Outcome.or: a case only a later version decides).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IWorkflowStore, JsonObject, RunStatus } from '../contract/types.js';
import * as arb from './arbitraries.js';
import type { Outcome, StoreModel } from './model.js';
import type { Observer, Window } from './observer.js';
import { atLeast, type ContractVersion } from '../contract/versions.js';

export interface Subject {
  name: string;
  store: IWorkflowStore;
  reopen(): Promise<void>;
  /** Checks and translates results for a store on its own clock or ids. */
  observer: Observer;
}

export interface Real {
  subjects: Subject[];
  clock: { advance(ms: number): unknown };
  /**
   * Some store keeps its own clock or ids: then the shared clock only moves forward, 1 ms per command,
   * and each call starts in a new millisecond, so creation order is the same everywhere.
   */
  monotonic: boolean;
  /** When the last call ended (epoch ms). */
  lastEnd: number;
  /** SHOULD rules a store did not follow, by rule id: reported, not failed. */
  recommendations: Map<string, string>;
}

export interface ModelState {
  model: StoreModel;
}

/** An object key that needs no quotes. */
const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;
const showKey = (k: string) => (PLAIN_KEY.test(k) && k !== '__proto__' ? k : JSON.stringify(k));

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
        .map((k) => `${showKey(k)}: ${show((value as Record<string, unknown>)[k])}`)
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
    // A call that hung ends the property (see differential.ts), it is not an outcome to compare.
    if ((error as Error)?.name === 'CallTimeoutError') throw error;
    const { name, code, message, field } = (error ?? {}) as Record<string, unknown>;
    if (name === 'WorkflowStoreError' && typeof code === 'string') {
      // What a conflict found different (WF-CAS-3), compared when the model names it.
      return code === 'STATUS_CONFLICT' && typeof field === 'string' ? { ok: false, code, field } : { ok: false, code };
    }
    return { ok: false, code: `not a WorkflowStoreError (name ${show(name)}, code ${show(code)}): ${String(message)}` };
  }
}

/** Waits until the wall clock is past `after`, so the next call's timestamps are later than the last's. */
async function nextMillisecond(after: number): Promise<void> {
  while (Date.now() <= after) await new Promise((resolve) => setImmediate(resolve));
}

const describeOutcome = (o: Outcome<unknown>) =>
  o.ok
    ? `ok → ${show(o.value).slice(0, 400)}`
    : [o.code, ...(o.or ?? [])].join(' or ') + (o.field === undefined ? '' : ` (field ${show(o.field)})`);

/** The codes an expected outcome accepts: its own, and those the judged version also allows. */
const acceptedCodes = (o: Outcome<unknown>): readonly string[] => (o.ok ? [] : [o.code, ...(o.or ?? [])]);

/** A call of the interface, the same on the model (which takes the same arguments) and on each store. */
class Call implements fc.AsyncCommand<ModelState, Real> {
  constructor(
    protected readonly method: keyof Omit<IWorkflowStore, 'close'>,
    protected readonly args: unknown[],
    private readonly normalize: (value: unknown) => unknown = (v) => v,
    /** Milliseconds the clock moves on before the call (runs created at different times, or at the same). */
    private readonly advance = 0,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: ModelState, r: Real): Promise<void> {
    if (!r.monotonic) r.clock.advance(this.advance);
    if (r.monotonic) {
      r.clock.advance(1);
      await nextMillisecond(r.lastEnd);
    }
    const model = m.model as unknown as Record<string, (...args: unknown[]) => Outcome<unknown>>;
    const expected = model[this.method]!(...this.modelArguments(m.model));
    for (const subject of r.subjects) {
      const store = subject.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const args = await this.storeArguments(subject.store);
      const start = Date.now();
      const actual = await outcomeOf(() => store[this.method]!(...args));
      r.lastEnd = Date.now();
      this.compare(subject, r, expected, actual, { start, end: r.lastEnd });
    }
  }

  /** The arguments of the call on the model, and on a store: the same, unless they name places in its data. */
  protected modelArguments(_model: StoreModel): unknown[] {
    return this.args;
  }
  protected async storeArguments(_store: IWorkflowStore): Promise<unknown[]> {
    return this.args;
  }

  private compare(
    subject: Subject,
    r: Real,
    expected: Outcome<unknown>,
    actual: Outcome<unknown>,
    window: Window,
  ): void {
    const differs = (why = '') =>
      new Error(
        `backend "${subject.name}" differs from the model at\n  ${this.toString()}\n` +
          `  model:   ${describeOutcome(expected)}\n  ${subject.name}: ${describeOutcome(actual)}${why}`,
      );
    if (!expected.ok || !actual.ok) {
      if (actual.ok || !acceptedCodes(expected).includes(actual.code)) throw differs();
      if (!expected.ok && expected.field !== undefined && actual.field !== expected.field) throw differs();
      return;
    }
    let value: unknown;
    try {
      value = subject.observer.observe(this.method, this.normalize(actual.value), expected.value, window, this.args[0]);
    } catch (error) {
      throw differs(`\n  ${(error as Error).message}`);
    }
    const want = subject.observer.expected(expected.value);
    if (sameJson(value, want)) return;
    // The order of the outputs map is only recommended (WF-OUT-4): the same entries in another order pass.
    if (this.method === 'getCompletedDagNodeOutputs' && sameJson(sortedEntries(value), sortedEntries(want))) {
      r.recommendations.set(
        'WF-OUT-4',
        `${subject.name}: outputs in another order than their latest completion at ${this.toString()}: ` +
          `${show(value).slice(0, 200)} (latest completion order: ${show(want).slice(0, 200)})`,
      );
      return;
    }
    throw differs();
  }
  toString(): string {
    const before = this.advance ? `clock.advance(${this.advance}); ` : '';
    return `${before}await store.${this.method}(${this.args.map(show).join(', ')});`;
  }
}

function sortedEntries(value: unknown): unknown {
  return Array.isArray(value)
    ? [...(value as [string, unknown][])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : value;
}

function sameJson(actual: unknown, expected: unknown): boolean {
  try {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(actual ?? null)), expected ?? null);
    return JSON.stringify(actual ?? null) === JSON.stringify(expected ?? null);
  } catch {
    return false;
  }
}

/** Calls made one after the other as one command: a write and the read that shows what it wrote. */
class Calls implements fc.AsyncCommand<ModelState, Real> {
  constructor(private readonly calls: Call[]) {}
  check = () => true;
  async run(m: ModelState, r: Real): Promise<void> {
    for (const call of this.calls) await call.run(m, r);
  }
  toString = () => this.calls.map(String).join(' ');
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
          `backend "${subject.name}" differs from the model at\n  ${this.toString()}\n` +
            `  model:   STORE_CLOSED\n  ${subject.name}: ${describeOutcome(after)}`,
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
    // With a store on its own clock the shared clock cannot go back (see Real.monotonic).
    r.clock.advance(r.monotonic ? 1 : this.ms);
  }
  toString = () => `clock.advance(${this.ms});`;
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Present one time in three. */
const seldom = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
/** Drops undefined fields, so the argument prints as a user would write it. */
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const mapEntries = (value: unknown) => (value instanceof Map ? [...value] : value);

type CommandArbitrary = fc.Arbitrary<fc.AsyncCommand<ModelState, Real>>;

const createRun: CommandArbitrary = fc
  .record({
    id: fc.option(arb.runId, { nil: undefined, freq: 6 }),
    workflow_name: arb.workflowName,
    user_message: arb.userMessage,
    status: maybe(arb.status),
    metadata: maybe(arb.jsonObject),
  })
  .chain((input) =>
    fc.constantFrom(0, 1, 1, 7).map((advance) => new Call('createWorkflowRun', [defined(input)], undefined, advance)),
  );

const listRuns: CommandArbitrary = fc
  .record({
    // Each filter absent two times in three, so that the limit often applies to every run.
    status: seldom(arb.status),
    workflow_name: seldom(arb.workflowName),
    // Small limits, 1 most often: where a limit applied before ordering shows.
    limit: maybe(fc.constantFrom(1, 1, 1, 2, 3, 0)),
  })
  .map((options) => new Call('listWorkflowRuns', [defined(options)]));

const updateRun: CommandArbitrary = fc
  .tuple(arb.runId, maybe(arb.status), maybe(arb.jsonObject), maybe(arb.status))
  .map(
    ([id, status, metadata, expected]) =>
      new Call('updateWorkflowRun', [id, defined({ status, metadata }), defined({ expected_status: expected })]),
  );

// The resume pattern, often: failed → running with compare-and-set.
const resumeRun: CommandArbitrary = fc
  .tuple(arb.runId, fc.constantFrom<RunStatus>('running', 'failed', 'completed'))
  .map(
    ([id, to]) =>
      new Call('updateWorkflowRun', [id, { status: to }, { expected_status: to === 'running' ? 'failed' : 'running' }]),
  );

// A status change with its event (WF-UPD-4): the event must land with the update, or not at all.
const updateWithEvent: CommandArbitrary = fc
  .tuple(
    arb.runId,
    arb.status,
    maybe(arb.status),
    fc.oneof(arb.eventType, arb.invalidEventType),
    arb.nodeId,
    maybe(arb.jsonValue),
  )
  .map(([id, status, expected, event_type, node_id, output]) => {
    const payload: JsonObject =
      event_type === 'node_completed' ? { node_id, ...(output === undefined ? {} : { output }) } : {};
    const options = defined({ expected_status: expected, event: { event_type, payload } });
    return new Call('updateWorkflowRun', [id, { status }, options]);
  });

const appendEvent: CommandArbitrary = fc
  .tuple(arb.runId, arb.eventType, arb.nodeId, maybe(arb.jsonValue), arb.jsonObject)
  .map(([run_id, event_type, node_id, output, extra]) => {
    const payload: JsonObject =
      event_type === 'node_completed' ? { ...extra, node_id, ...(output === undefined ? {} : { output }) } : extra;
    return new Call('createWorkflowEvent', [{ run_id, event_type, payload }]);
  });

const removeRun: CommandArbitrary = arb.runId.map((id) => new Call('deleteWorkflowRun', [id]));
// Mostly from the start and with a limit below what a run holds after a few appends: where a limit that is
// ignored, or a page that starts at the wrong place, shows.
const listEvents: CommandArbitrary = fc
  .tuple(arb.runId, seldom(fc.nat({ max: 4 })), maybe(fc.constantFrom(0, 1, 1, 2, 3)))
  .map(([id, after_sequence, limit]) => new Call('listWorkflowEvents', [id, defined({ after_sequence, limit })]));
const readOutputs: CommandArbitrary = arb.runId.map((id) => new Call('getCompletedDagNodeOutputs', [id], mapEntries));

// --- contract 1.2: several events with one update, conditions on metadata, fenced appends, pages ---------

/**
 * An event of a list: mostly valid, node completions often of the same few nodes, now and then refused;
 * each carries its place in the list, so that a list stored out of order shows.
 */
const listedEvent = (place: number) =>
  fc
    .tuple(
      fc.oneof({ weight: 8, arbitrary: arb.eventType }, { weight: 1, arbitrary: arb.invalidEventType }),
      arb.nodeId,
    )
    .chain(([event_type, node_id]) =>
      maybe(arb.jsonValue).map((output) => ({
        event_type,
        payload:
          event_type === 'node_completed' ? { node_id, place, ...(output === undefined ? {} : { output }) } : { place },
      })),
    );
const eventList = fc
  .constantFrom(1, 2, 2, 3, 3, 4)
  .chain((length) => fc.tuple(...Array.from({ length }, (_, place) => listedEvent(place))));

// A status change with a list of events (WF-UPD-5): numbered in order, all or none; now and then an empty
// list, or `event` and `events` together, which are refused.
const updateWithEvents: CommandArbitrary = fc
  .tuple(
    arb.runId,
    seldom(arb.status),
    seldom(arb.status),
    fc.oneof({ weight: 8, arbitrary: eventList }, { weight: 1, arbitrary: fc.constant([]) }),
    fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  )
  .map(([id, status, expected, events, withEvent]) => {
    const event = withEvent ? { event_type: 'both' } : undefined;
    const options = defined({ expected_status: expected, event, events });
    // The log read right after: a list stored out of order, or in part, shows at once.
    return new Calls([
      new Call('updateWorkflowRun', [id, defined({ status }), options]),
      new Call('listWorkflowEvents', [id, {}]),
    ]);
  });

/** Expected metadata: one token key, now and then a second. */
const expectedMetadata = fc
  .tuple(arb.tokenKey, arb.token, seldom(fc.tuple(arb.tokenKey, arb.token)))
  .map(([key, value, second]) => (second === undefined ? { [key]: value } : { [key]: value, [second[0]]: second[1] }));

// A claim or a resume conditional on a token (WF-CAS-3): two resumes of one pause with different new ids;
// without a condition, one time in three, the token is set for the conditional calls to find.
const claimRun: CommandArbitrary = fc
  .tuple(
    arb.runId,
    seldom(arb.status),
    arb.tokenKey,
    arb.token,
    fc.option(expectedMetadata, { nil: undefined, freq: 3 }),
    seldom(arb.status),
  )
  .map(
    ([id, status, key, next, expected_metadata, expected_status]) =>
      new Call('updateWorkflowRun', [
        id,
        defined({ status, metadata: { [key]: next } }),
        defined({ expected_status, expected_metadata }),
      ]),
  );

// An append fenced by the run's status and token (WF-SEQ-4).
const fencedAppend: CommandArbitrary = fc
  .tuple(arb.runId, arb.eventType, arb.nodeId, maybe(arb.status), maybe(expectedMetadata))
  .map(([run_id, event_type, node_id, expected_status, expected_metadata]) => {
    const payload = event_type === 'node_completed' ? { node_id, output: 1 } : {};
    return new Call('createWorkflowEvent', [
      { run_id, event_type, payload },
      defined({ expected_status, expected_metadata }),
    ]);
  });

/** A position or a bound named by a run: its created_at and id — or, `beside` it, an id where no run is. */
interface Anchor {
  run: string;
  beside: boolean;
}

interface PageOptions {
  order?: 'asc' | 'desc';
  limit?: number;
  status?: RunStatus;
  after?: Anchor;
  created_after?: string;
  created_before?: string;
}

type Position = { created_at: string; id: string } | undefined;

/**
 * A page of runs (WF-RUN-7) relative to runs of the sequence: each store is given the positions of its own
 * runs (a store on its own clock has its own created_at), the model its own. An anchor run that is gone is
 * left out, the same on every side.
 */
class ListPage extends Call {
  constructor(private readonly page: PageOptions) {
    super('listWorkflowRuns', [page]);
  }
  private resolve(position: (id: string) => Position): unknown[] {
    const { after, created_after, created_before, ...rest } = this.page;
    const at = after && position(after.run);
    const time = (id: string | undefined) => (id === undefined ? undefined : position(id)?.created_at);
    const anchored = at && { created_at: at.created_at, id: after!.beside ? `${at.id}.` : at.id };
    return [
      defined({ ...rest, after: anchored, created_after: time(created_after), created_before: time(created_before) }),
    ];
  }
  protected override modelArguments(model: StoreModel): unknown[] {
    return this.resolve((id) => model.positionOf(id));
  }
  protected override async storeArguments(store: IWorkflowStore): Promise<unknown[]> {
    const { after, created_after, created_before } = this.page;
    const positions = new Map<string, Position>();
    for (const id of [after?.run, created_after, created_before]) {
      if (id !== undefined) positions.set(id, (await store.getWorkflowRun(id).catch(() => null)) ?? undefined);
    }
    return this.resolve((id) => positions.get(id));
  }
  /**
   * The call as it reads with helpers: `position(id)`, the run's { created_at, id } in the store at hand, and
   * `beside(p)`, the same created_at with the id `${p.id}.` (where no run is).
   */
  override toString(): string {
    const { after, created_after, created_before, ...rest } = this.page;
    const parts = Object.entries(rest).map(([k, v]) => `${k}: ${show(v)}`);
    if (after)
      parts.push(`after: ${after.beside ? `beside(position(${show(after.run)}))` : `position(${show(after.run)})`}`);
    if (created_after) parts.push(`created_after: position(${show(created_after)}).created_at`);
    if (created_before) parts.push(`created_before: position(${show(created_before)}).created_at`);
    return `await store.listWorkflowRuns({ ${parts.join(', ')} });`;
  }
}

// Mostly at a run, where a position compared with >= instead of > shows; now and then beside one.
const anchor = fc.record({ run: arb.runId, beside: fc.constantFrom(false, false, false, true) });
const listPage: CommandArbitrary = fc
  .record({
    order: maybe(fc.constantFrom<'asc' | 'desc'>('asc', 'desc')),
    limit: maybe(fc.constantFrom(1, 1, 2, 3, 0)),
    status: seldom(arb.status),
    after: fc.oneof({ weight: 3, arbitrary: anchor }, { weight: 1, arbitrary: fc.constant(undefined) }),
    created_after: seldom(arb.runId),
    created_before: seldom(arb.runId),
  })
  .map((page) => new ListPage(defined(page) as PageOptions));

/** The 1.2 calls that must be refused: options that are no option, bounds that are no timestamp. */
const refused12: CommandArbitrary = fc.oneof(
  fc
    .constantFrom<unknown>(
      { order: 'newest' },
      { after: 'r1' },
      { after: { created_at: 'x', id: 'r1' } },
      {
        created_after: '2026-01-01',
      },
    )
    .map((options) => new Call('listWorkflowRuns', [options])),
  fc
    .tuple(arb.runId, fc.constantFrom<unknown>({ expectedStatus: 'running' }, { expected_metadata: [1] }))
    .map(([run_id, options]) => new Call('createWorkflowEvent', [{ run_id, event_type: 'x' }, options])),
  fc
    .tuple(arb.runId, arb.notJson)
    .map(([id, [, make]]) => new Call('updateWorkflowRun', [id, {}, { expected_metadata: { claim: make() } }])),
);

/**
 * The calls of contract 1.2, weighted like the others (see commandArbitraries); with one more creation and one
 * more listing of runs, which keep their share of the longer list.
 */
function calls12(): CommandArbitrary[] {
  const times = (n: number, a: CommandArbitrary) => Array.from({ length: n }, () => a);
  return [
    createRun,
    listRuns,
    ...times(3, updateWithEvents),
    ...times(2, claimRun),
    ...times(2, fencedAppend),
    ...times(3, listPage),
    refused12,
  ];
}

/**
 * Calls that must be refused: invalid ids, values that are not JSON, unknown fields, bad text and types
 * (under 1.0, event types of the wrong length only: the pattern is a rule since 1.1). Many name a run that
 * exists or does not: before 1.2 the model also accepts the error of the stored data there (WF-ERR-5).
 */
function refusedCalls(contract: ContractVersion): CommandArbitrary[] {
  const badEventType = atLeast(contract, '1.1') ? arb.invalidEventType : arb.badLengthEventType;
  const byId = fc.constantFrom(
    'getWorkflowRun',
    'deleteWorkflowRun',
    'listWorkflowEvents',
    'getCompletedDagNodeOutputs',
  ) as fc.Arbitrary<'getWorkflowRun'>;
  return [
    arb.invalidId.map((id) => new Call('createWorkflowRun', [{ id, workflow_name: 'w', user_message: '' }])),
    fc.tuple(arb.invalidId, byId).map(([id, method]) => new Call(method, [id])),
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
    fc
      .tuple(arb.runId, badEventType)
      .map(([run_id, event_type]) => new Call('createWorkflowEvent', [{ run_id, event_type, payload: {} }])),
  ];
}

/**
 * Every command, weighted: fc.commands picks among the arbitraries evenly, so the ones that build up state
 * are repeated, and runs gather events, outputs and status changes before they are read (weights measured
 * against the planted bugs of test/properties/mutants.slow.test.ts). Only the calls the contract version
 * defines are made: under 1.0, no update with its event (WF-UPD-4); before 1.2, no list of events, no
 * expected metadata, no fenced append and no page (WF-UPD-5, WF-CAS-3, WF-SEQ-4, WF-RUN-7).
 */
export function commandArbitraries(options: { reopen: boolean; contract: ContractVersion }): CommandArbitrary[] {
  const since11 = atLeast(options.contract, '1.1');
  const since12 = atLeast(options.contract, '1.2');
  const times = (n: number, a: CommandArbitrary) => Array.from({ length: n }, () => a);
  return [
    ...times(6, createRun),
    arb.runId.map((id) => new Call('getWorkflowRun', [id])),
    ...times(5, listRuns),
    ...times(2, updateRun),
    ...times(2, resumeRun),
    ...(since11 ? times(2, updateWithEvent) : []),
    ...times(2, removeRun),
    ...times(6, appendEvent),
    ...times(3, listEvents),
    ...times(4, readOutputs),
    fc.integer({ min: -5_000, max: 10_000 }).map((ms) => new AdvanceClock(ms)),
    ...refusedCalls(options.contract),
    ...(since12 ? calls12() : []),
    ...(options.reopen ? [fc.constant(new Reopen()), fc.constant(new CloseThenCall())] : []),
  ];
}

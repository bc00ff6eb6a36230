// The patterns of docs/engine-authors.md, each raced by 8 claimers started together, each on its own store
// instance open on the same data (openAlongside: another connection or handle), on every durable backend
// (WFSTORE_BACKENDS narrows). Every race runs several rounds, each on a new run, so that one lucky
// interleaving does not pass a store that gets it wrong; each round also checks what the store kept.
// The whole takeover of a run left running (read, step 1, step 2) is raced as the guide writes it and through
// the reference engine, with takers that read the run before another's takeover and write after it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReferenceInitializer } from '../../src/conformance/reference-initializer.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, JsonObject, JsonValue, RunStatus, WorkflowRun } from '../../src/contract/types.js';
import { CLAIM_KEY, type NodeDefinition, RunClaimConflictError, WorkflowEngine } from '../../src/engine/index.js';
import { selectedBackends } from '../support/backends.js';

const DURABLE = selectedBackends().filter((backend) => backend.supports?.permanent === true);
const CLAIMERS = 8;
const ROUNDS = 5;

/** The stores' clock: a millisecond later at each call, so that every update moves updated_at (WF-UPD-2). */
function tickingClock(): () => Date {
  let at = Date.parse('2031-01-01T00:00:00.000Z');
  return () => new Date(++at);
}

type Settled<T> = PromiseSettledResult<T>;

/** The one fulfilled result; every other one a STATUS_CONFLICT naming `field`. */
function oneWinner<T>(results: Settled<T>[], field: string | string[]): { index: number; value: T } {
  const won = results.flatMap((r, index) => (r.status === 'fulfilled' ? [{ index, value: r.value }] : []));
  assert.equal(won.length, 1, `exactly one of ${results.length} claimers wins, not ${won.length}`);
  for (const r of results) if (r.status === 'rejected') assertConflict(r.reason, field);
  return won[0]!;
}

function assertConflict(error: unknown, field: string | string[]): void {
  assert.ok(isWorkflowStoreError(error, 'STATUS_CONFLICT'), `a STATUS_CONFLICT, not ${String(error)}`);
  const fields = typeof field === 'string' ? [field] : field;
  assert.ok(fields.includes(error.field ?? ''), `the conflict names ${fields.join(' or ')}: ${error.message}`);
}

/** The fenced heartbeat of docs/engine-authors.md: a metadata-only update under the claim. */
function heartbeat(store: IWorkflowStore, runId: string, token: string): Promise<WorkflowRun> {
  return store.updateWorkflowRun(runId, {}, { expected_status: 'running', expected_metadata: { claim: token } });
}

/**
 * The two-step takeover of docs/engine-authors.md, by taker `by`: `seen` is the run as it read it when it judged
 * the run dead. Step 1 (running → failed) expects the claim token seen, so it is refused once another taker's
 * step 2 wrote a new one; step 2 (failed → running) writes this taker's token. Rejects with STATUS_CONFLICT when
 * another taker won.
 */
async function takeOver(store: IWorkflowStore, seen: WorkflowRun, token: string, by: number): Promise<WorkflowRun> {
  const claim = seen.metadata[CLAIM_KEY];
  const fence = claim === undefined ? {} : { expected_metadata: { [CLAIM_KEY]: claim } };
  await store.updateWorkflowRun(
    seen.id,
    { status: 'failed', metadata: { interrupted_by: by } },
    { expected_status: 'running', ...fence, events: [{ event_type: 'workflow_interrupted', payload: { by } }] },
  );
  return store.updateWorkflowRun(
    seen.id,
    { status: 'running', metadata: { [CLAIM_KEY]: token } },
    { expected_status: 'failed', events: [{ event_type: 'workflow_resumed', payload: { by } }] },
  );
}

/** A promise that settles once `tick` has been called `n` times. */
function countdown(n: number): { tick: () => void; done: Promise<void> } {
  let tick!: () => void;
  const done = new Promise<void>((resolve) => {
    let left = n;
    tick = () => {
      if (--left === 0) resolve();
    };
  });
  return { tick, done };
}

/** When a store's calls may go ahead: waits before updates (the nth of this store, from 0) and appends. */
interface Gate {
  /** Once the store's first read of the run (its status or its outputs) is done. */
  read?: () => void;
  beforeUpdate?: (n: number) => Promise<void> | undefined;
  /** After each update, done or refused. */
  afterUpdate?: (n: number) => void;
  beforeAppend?: Promise<void>;
}

/** `store`, its reads, updates and appends held by `gate`: a chosen interleaving of several workers. */
function gated(store: IWorkflowStore, gate: Gate): IWorkflowStore {
  let updates = 0;
  let reads = 0;
  const read =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A) =>
      call(...args).finally(() => reads++ === 0 && gate.read?.());
  const update = async (...args: Parameters<IWorkflowStore['updateWorkflowRun']>) => {
    const n = updates++;
    await gate.beforeUpdate?.(n);
    return store.updateWorkflowRun(...args).finally(() => gate.afterUpdate?.(n));
  };
  const append = async (...args: Parameters<IWorkflowStore['createWorkflowEvent']>) => {
    await gate.beforeAppend;
    return store.createWorkflowEvent(...args);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'getWorkflowRun') return read((id: string) => target.getWorkflowRun(id));
      if (property === 'getCompletedDagNodeOutputs') return read((id: string) => target.getCompletedDagNodeOutputs(id));
      if (property === 'updateWorkflowRun') return update;
      if (property === 'createWorkflowEvent') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** fetch → parse → report, counting each node's calls in `ran`. */
function countedWorkflow(ran: Map<string, number>) {
  const node = (id: string, output: JsonValue, dependsOn?: string[]): NodeDefinition => ({
    id,
    ...(dependsOn ? { dependsOn } : {}),
    run: () => {
      ran.set(id, (ran.get(id) ?? 0) + 1);
      return output;
    },
  });
  return {
    name: 'race',
    nodes: [node('fetch', { rows: 2 }), node('parse', { parsed: true }, ['fetch']), node('report', 'sent', ['parse'])],
  };
}

for (const backend of DURABLE) describeRaces(backend);
if (DURABLE.length === 0) it.skip('no durable backend among WFSTORE_BACKENDS');

function describeRaces(backend: ReferenceInitializer): void {
  describe(`takeover races on ${backend.name}, ${CLAIMERS} store instances on the same data`, () => {
    let primary: IWorkflowStore;
    let stores: IWorkflowStore[] = [];
    let count = 0;
    before(async () => {
      await backend.beforeAll?.();
      primary = await backend.createStore({ now: tickingClock() });
      for (let i = 0; i < CLAIMERS; i++) stores.push((await backend.openAlongside?.(primary)) ?? primary);
    });
    after(async () => {
      for (const store of stores) if (store !== primary) await store.close();
      stores = [];
      await backend.destroyStore?.(primary);
      await backend.afterAll?.();
    });

    /** A new run in `status`, with `metadata`, and one event. */
    async function runIn(status: RunStatus, metadata: JsonObject = {}): Promise<string> {
      const id = `race-${++count}`;
      await primary.createWorkflowRun({ id, workflow_name: 'race', user_message: '', status, metadata });
      await primary.createWorkflowEvent({ run_id: id, event_type: 'workflow_started' });
      return id;
    }
    const eventsOf = (id: string) => primary.listWorkflowEvents(id);
    /** Each claimer's call, started together (one synchronous loop), each on its own store instance. */
    const race = <T>(call: (store: IWorkflowStore, i: number) => Promise<T>) =>
      Promise.allSettled(stores.map((store, i) => call(store, i)));

    it('claiming a pending run: pending → running with a token, exactly one wins (WF-CAS-1)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = `race-${++count}`;
        await primary.createWorkflowRun({ id, workflow_name: 'race', user_message: '' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const results = await race((store, i) =>
          store.updateWorkflowRun(
            id,
            { status: 'running', metadata: { claim: tokens[i]! } },
            {
              expected_status: 'pending',
              events: [{ event_type: 'workflow_started', payload: { claim: tokens[i]! } }],
            },
          ),
        );
        const winner = oneWinner(results, 'status');
        const run = (await primary.getWorkflowRun(id))!;
        assert.equal(run.status, 'running');
        assert.equal(run.metadata.claim, tokens[winner.index]);
        const events = await eventsOf(id);
        assert.deepEqual(
          events.map((e) => e.payload.claim),
          [tokens[winner.index]],
          "the winner's event only",
        );
      }
    });

    it('the trap: a same-status "claim" of a running run succeeds for every caller (WF-UPD-3)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'dead' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const results = await race((store, i) =>
          store.updateWorkflowRun(
            id,
            { status: 'running', metadata: { claim: tokens[i]! } },
            { expected_status: 'running' },
          ),
        );
        assert.deepEqual(
          results.map((r) => r.status),
          Array(CLAIMERS).fill('fulfilled'),
          'every one "won": the update decided nothing',
        );
        const run = (await primary.getWorkflowRun(id))!;
        assert.equal(run.status, 'running');
        assert.ok(tokens.includes(run.metadata.claim as string), "the last writer's token is kept, the others lost");
      }
    });

    it('takeover, step 1: running → failed by compare-and-set, exactly one wins (WF-CAS-1)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'dead' });
        const results = await race((store, i) =>
          store.updateWorkflowRun(
            id,
            { status: 'failed', metadata: { interrupted_by: i } },
            { expected_status: 'running', event: { event_type: 'workflow_interrupted', payload: { by: i } } },
          ),
        );
        const winner = oneWinner(results, 'status');
        for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.actual, 'failed');
        const run = (await primary.getWorkflowRun(id))!;
        assert.equal(run.status, 'failed');
        assert.equal(run.metadata.interrupted_by, winner.index);
        const events = await eventsOf(id);
        assert.deepEqual(
          events.map((e) => [e.event_type, e.payload.by]),
          [
            ['workflow_started', undefined],
            ['workflow_interrupted', winner.index],
          ],
          "the winner's event only",
        );
      }
    });

    it('takeover, step 2: failed → running with a new claim token, exactly one wins', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('failed', { claim: 'dead' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const results = await race((store, i) =>
          store.updateWorkflowRun(
            id,
            { status: 'running', metadata: { claim: tokens[i]! } },
            { expected_status: 'failed', event: { event_type: 'workflow_resumed', payload: { claim: tokens[i]! } } },
          ),
        );
        const winner = oneWinner(results, 'status');
        assert.equal(winner.value.metadata.claim, tokens[winner.index]);
        const run = (await primary.getWorkflowRun(id))!;
        assert.equal(run.status, 'running');
        assert.equal(run.metadata.claim, tokens[winner.index], "the winner's token is the one kept");
        const events = await eventsOf(id);
        assert.equal(events.length, 2, "one workflow_resumed, the winner's");
        assert.equal(events[1]!.payload.claim, tokens[winner.index]);
      }
    });

    it('takeover in one step: expected_metadata { claim: old } and a new token, exactly one wins', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'old' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const results = await race((store, i) =>
          store.updateWorkflowRun(
            id,
            { metadata: { claim: tokens[i]! } },
            {
              expected_status: 'running',
              expected_metadata: { claim: 'old' },
              event: { event_type: 'workflow_taken_over', payload: { claim: tokens[i]! } },
            },
          ),
        );
        const winner = oneWinner(results, 'metadata.claim');
        const run = (await primary.getWorkflowRun(id))!;
        assert.equal(run.status, 'running');
        assert.equal(run.metadata.claim, tokens[winner.index]);
        const events = await eventsOf(id);
        assert.deepEqual(
          events.map((e) => e.payload.claim),
          [undefined, tokens[winner.index]],
        );
      }
    });

    it("a takeover expecting the heartbeat count it saw races the worker's heartbeat: one wins", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'old', beat: 7 });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        // Claimer 0 is the worker, alive after all: its heartbeat counts; the others saw beat 7 and take over.
        const results = await race((store, i) =>
          i === 0
            ? store.updateWorkflowRun(
                id,
                { metadata: { beat: 8 } },
                { expected_status: 'running', expected_metadata: { claim: 'old', beat: 7 } },
              )
            : store.updateWorkflowRun(
                id,
                { metadata: { claim: tokens[i]!, beat: 0 } },
                { expected_status: 'running', expected_metadata: { claim: 'old', beat: 7 } },
              ),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        assert.equal(won.length, 1, `exactly one write wins, not ${won.length}`);
        const run = (await primary.getWorkflowRun(id))!;
        if (won[0] === 0) {
          assert.deepEqual(run.metadata, { claim: 'old', beat: 8 }, 'the worker kept its run');
          for (const r of results.slice(1)) if (r.status === 'rejected') assertConflict(r.reason, 'metadata.beat');
        } else {
          assert.deepEqual(run.metadata, { claim: tokens[won[0]!], beat: 0 });
          for (const r of results) if (r.status === 'rejected') assertConflict(r.reason, 'metadata.claim');
        }
      }
    });

    it("after a takeover the stale worker's fenced writes are refused, the new worker's pass", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'old' });
        await stores[1]!.updateWorkflowRun(
          id,
          { metadata: { claim: 'new' } },
          { expected_status: 'running', expected_metadata: { claim: 'old' } },
        );
        const runBefore = (await primary.getWorkflowRun(id))!;
        const eventsBefore = await eventsOf(id);
        const stale = { expected_status: 'running', expected_metadata: { claim: 'old' } } as const;
        const refused = await race<unknown>((store, i) =>
          i % 2 === 0
            ? store.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { stale: i } }, stale)
            : heartbeat(store, id, 'old'),
        );
        for (const r of refused) {
          assert.equal(r.status, 'rejected', 'the stale worker is refused');
          if (r.status === 'rejected') assertConflict(r.reason, 'metadata.claim');
        }
        assert.deepEqual(await primary.getWorkflowRun(id), runBefore, 'the run is untouched (updated_at too)');
        assert.deepEqual(await eventsOf(id), eventsBefore, 'no event of the stale worker');
        const fresh = { expected_status: 'running', expected_metadata: { claim: 'new' } } as const;
        const accepted = await race<unknown>((store, i) =>
          i % 2 === 0
            ? store.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { fresh: i } }, fresh)
            : heartbeat(store, id, 'new'),
        );
        assert.deepEqual(
          accepted.map((r) => r.status),
          Array(CLAIMERS).fill('fulfilled'),
        );
        const events = await eventsOf(id);
        assert.deepEqual(
          events.map((e) => e.sequence),
          Array.from({ length: eventsBefore.length + CLAIMERS / 2 }, (_, i) => i + 1),
        );
      }
    });

    it('a stale worker racing the takeover: each of its appends lands before it or is refused', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'old' });
        const stale = { expected_status: 'running', expected_metadata: { claim: 'old' } } as const;
        const results = await race<unknown>((store, i) =>
          i === 0
            ? store.updateWorkflowRun(
                id,
                { metadata: { claim: 'new' } },
                { ...stale, event: { event_type: 'workflow_taken_over' } },
              )
            : store.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { stale: i } }, stale),
        );
        assert.equal(results[0]!.status, 'fulfilled', 'the takeover wins against appends');
        const events = await eventsOf(id);
        const takeover = events.find((e) => e.event_type === 'workflow_taken_over')!;
        const landed = events.filter((e) => e.payload.stale !== undefined);
        for (const e of landed) assert.ok(e.sequence < takeover.sequence, `stale append #${e.sequence} after it`);
        for (const r of results.slice(1)) if (r.status === 'rejected') assertConflict(r.reason, 'metadata.claim');
        const appended = results.slice(1).filter((r) => r.status === 'fulfilled').length;
        assert.equal(landed.length, appended, 'every append acknowledged is in the log, no refused one is');
        assert.equal((await primary.getWorkflowRun(id))!.metadata.claim, 'new');
      }
    });

    it("a fenced heartbeat moves updated_at and changes nothing else, racing the owner's appends", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'mine', step: 3 });
        await primary.createWorkflowEvent({
          run_id: id,
          event_type: 'node_completed',
          payload: { node_id: 'fetch', output: { rows: 2 } },
        });
        const runBefore = (await primary.getWorkflowRun(id))!;
        const fence = { expected_status: 'running', expected_metadata: { claim: 'mine' } } as const;
        const results = await race<unknown>((store, i) =>
          i % 2 === 0
            ? heartbeat(store, id, 'mine')
            : store.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { i } }, fence),
        );
        assert.deepEqual(
          results.map((r) => r.status),
          Array(CLAIMERS).fill('fulfilled'),
        );
        const run = (await primary.getWorkflowRun(id))!;
        assert.ok(
          run.updated_at > runBefore.updated_at,
          `updated_at moved: ${runBefore.updated_at} → ${run.updated_at}`,
        );
        assert.deepEqual({ ...run, updated_at: '' }, { ...runBefore, updated_at: '' }, 'nothing else changed');
        const events = await eventsOf(id);
        assert.deepEqual(
          events.map((e) => e.sequence),
          [1, 2, 3, 4, 5, 6],
          'the appends numbered without a gap; heartbeats append nothing',
        );
        assert.deepEqual(Object.fromEntries(await primary.getCompletedDagNodeOutputs(id)), { fetch: { rows: 2 } });
      }
    });

    /** Each taker's read of the run, together, each on its own store: the run they all judged dead. */
    const readByAll = (id: string) => Promise.all(stores.map(async (store) => (await store.getWorkflowRun(id))!));

    /** One taker won the whole takeover: the run is running under its token, with its two events only. */
    async function assertOneTakeover(id: string, results: Settled<WorkflowRun>[], tokens: string[]) {
      const winner = oneWinner(results, ['status', `metadata.${CLAIM_KEY}`]);
      const run = (await primary.getWorkflowRun(id))!;
      assert.equal(run.status, 'running');
      assert.equal(run.metadata[CLAIM_KEY], tokens[winner.index], "the winner's token is the run's claim");
      assert.equal(run.metadata.interrupted_by, winner.index);
      const events = await eventsOf(id);
      assert.deepEqual(
        events.map((e) => [e.event_type, e.payload.by]),
        [
          ['workflow_started', undefined],
          ['workflow_interrupted', winner.index],
          ['workflow_resumed', winner.index],
        ],
        "the winner's events only",
      );
      return winner.index;
    }

    it('the whole two-step takeover, 8 takers at once, each reading then writing: exactly one wins', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'dead' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const seen = await readByAll(id);
        const results = await race((store, i) => takeOver(store, seen[i]!, tokens[i]!, i));
        await assertOneTakeover(id, results, tokens);
      }
    });

    it('the whole two-step takeover, takers starting 2 ms apart after reading together: one wins', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'dead' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const seen = await readByAll(id);
        const results = await race(async (store, i) => {
          await sleep(i * 2);
          return takeOver(store, seen[i]!, tokens[i]!, i);
        });
        await assertOneTakeover(id, results, tokens);
      }
    });

    it('late takers: one takes the run over, then the others, with the token read before, are refused', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await runIn('running', { claim: 'dead' });
        const tokens = stores.map((_, i) => `t${round}-${i}`);
        const seen = await readByAll(id);
        const first = await Promise.allSettled([takeOver(stores[0]!, seen[0]!, tokens[0]!, 0)]);
        // The run is running again, under taker 0's token: a step 1 expecting only "running" would match.
        const late = await Promise.allSettled(
          stores.slice(1).map((store, i) => takeOver(store, seen[i + 1]!, tokens[i + 1]!, i + 1)),
        );
        assert.equal(await assertOneTakeover(id, [...first, ...late], tokens), 0);
        for (const r of late) if (r.status === 'rejected') assertConflict(r.reason, `metadata.${CLAIM_KEY}`);
      }
    });

    /** A run left running under the claim "dead" by a worker that completed "fetch", and the engines' workflow. */
    async function leftRunning() {
      const id = await runIn('running', { [CLAIM_KEY]: 'dead' });
      await primary.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { node_id: 'fetch' } });
      await primary.createWorkflowEvent({
        run_id: id,
        event_type: 'node_completed',
        payload: { node_id: 'fetch', output: { rows: 2 } },
      });
      const ran = new Map<string, number>();
      return { id, ran, workflow: countedWorkflow(ran) };
    }

    /** One engine completed the run, the others were refused; each node not completed before ran once. */
    async function assertOneResume(id: string, results: Settled<unknown>[], ran: Map<string, number>) {
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      assert.equal(won.length, 1, `exactly one of ${results.length} engines proceeds, not ${won.length}`);
      for (const r of results)
        if (r.status === 'rejected')
          assert.ok(r.reason instanceof RunClaimConflictError, `a RunClaimConflictError, not ${String(r.reason)}`);
      assert.deepEqual(Object.fromEntries(ran), { parse: 1, report: 1 }, 'each node not completed ran once');
      assert.equal((await primary.getWorkflowRun(id))!.status, 'completed');
      const types = (await eventsOf(id)).map((e) => e.event_type);
      for (const type of ['workflow_interrupted', 'workflow_resumed', 'workflow_completed'])
        assert.equal(types.filter((t) => t === type).length, 1, `one ${type}: ${types.join(', ')}`);
      return won[0]!;
    }

    it('8 engines resume a run left running, taking over, all having read it: one completes it', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { id, ran, workflow } = await leftRunning();
        // Every engine reads the run before any writes: all of them judged the same worker dead.
        const read = countdown(CLAIMERS);
        const engines = stores.map(
          (store) =>
            new WorkflowEngine(gated(store, { read: read.tick, beforeUpdate: () => read.done }), { heartbeatMs: 0 }),
        );
        const results = await Promise.allSettled(
          engines.map((engine) => engine.resume(workflow, id, { takeOverRunning: true })),
        );
        await assertOneResume(id, results, ran);
      }
    });

    it('8 engines taking over: those that read the run before the first took it over are refused', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { id, ran, workflow } = await leftRunning();
        const read = countdown(CLAIMERS);
        const claimed = countdown(1);
        const tried = countdown(CLAIMERS - 1);
        // Engine 0 takes the run over once all have read it; the others write only once it has (its second
        // update, failed → running), and engine 0 appends nothing until each of them has tried its first update.
        const first = gated(stores[0]!, {
          read: read.tick,
          beforeUpdate: () => read.done,
          afterUpdate: (n) => n === 1 && claimed.tick(),
          beforeAppend: tried.done,
        });
        const late = stores.slice(1).map((store) =>
          gated(store, {
            read: read.tick,
            beforeUpdate: () => claimed.done,
            afterUpdate: (n) => n === 0 && tried.tick(),
          }),
        );
        const results = await Promise.allSettled(
          [first, ...late].map((store) =>
            new WorkflowEngine(store, { heartbeatMs: 0 }).resume(workflow, id, { takeOverRunning: true }),
          ),
        );
        assert.equal(await assertOneResume(id, results, ran), 0, 'the first engine proceeds');
      }
    });
  });
}

// The patterns of docs/engine-authors.md, each raced by 8 claimers started together, each on its own store
// instance open on the same data (openAlongside: another connection or handle), on every durable backend
// (WFSTORE_BACKENDS narrows). Every race runs several rounds, each on a new run, so that one lucky
// interleaving does not pass a store that gets it wrong; each round also checks what the store kept.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReferenceInitializer } from '../../src/conformance/reference-initializer.js';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, JsonObject, RunStatus, WorkflowRun } from '../../src/contract/types.js';
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
function oneWinner<T>(results: Settled<T>[], field: string): { index: number; value: T } {
  const won = results.flatMap((r, index) => (r.status === 'fulfilled' ? [{ index, value: r.value }] : []));
  assert.equal(won.length, 1, `exactly one of ${results.length} claimers wins, not ${won.length}`);
  for (const r of results) if (r.status === 'rejected') assertConflict(r.reason, field);
  return won[0]!;
}

function assertConflict(error: unknown, field: string): void {
  assert.ok(isWorkflowStoreError(error, 'STATUS_CONFLICT'), `a STATUS_CONFLICT, not ${String(error)}`);
  assert.equal(error.field, field, `the conflict names ${field}: ${error.message}`);
}

/** The fenced heartbeat of docs/engine-authors.md: a metadata-only update under the claim. */
function heartbeat(store: IWorkflowStore, runId: string, token: string): Promise<WorkflowRun> {
  return store.updateWorkflowRun(runId, {}, { expected_status: 'running', expected_metadata: { claim: token } });
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
  });
}

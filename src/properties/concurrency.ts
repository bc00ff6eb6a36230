// Concurrent calls on one run, started in an order fast-check's scheduler chooses: appends, compare-and-set
// resumes and a delete. Checked against invariants rather than a model, since any serial order is allowed:
// sequences gapless and unique, at most one winner of a resume round (exactly one without a delete),
// outputs equal to the latest completion in sequence order.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IWorkflowStore, JsonValue, WorkflowEvent } from '../contract/types.js';
import { ManualClock } from '../conformance/support/clock.js';
import { capabilitiesOf, type StoreTestInitializer, storeOptions } from '../conformance/initializer.js';
import {
  HangStop,
  type PropertyResult,
  type PropertySettings,
  replayLine,
  timedOut,
  timeLimitOptions,
} from './differential.js';
import { emptyStore, type Keepable, KeptStores, RunSources, residueReport } from './kept-stores.js';

type Op = { kind: 'append'; node: string | null; output: number } | { kind: 'resume' } | { kind: 'delete' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      node: fc.constantFrom(null, 'a', 'b', 'c'),
      output: fc.integer({ min: 0, max: 99 }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
);

function call(store: IWorkflowStore, o: Op): Promise<unknown> {
  switch (o.kind) {
    case 'append':
      return store.createWorkflowEvent(
        o.node === null
          ? { run_id: 'r', event_type: 'tick', payload: { v: o.output } }
          : { run_id: 'r', event_type: 'node_completed', payload: { node_id: o.node, output: o.output } },
      );
    case 'resume':
      return store.updateWorkflowRun('r', { status: 'running' }, { expected_status: 'failed' });
    case 'delete':
      return store.deleteWorkflowRun('r');
  }
}

type Settled = PromiseSettledResult<unknown>[];

/** At most one resume wins — exactly one when no delete happened — and the others conflict. */
function checkResumes(ops: readonly Op[], settled: Settled, deleted: boolean): void {
  const resumes = ops.map((o, i) => [o, settled[i]!] as const).filter(([o]) => o.kind === 'resume');
  const winners = resumes.filter(([, r]) => r.status === 'fulfilled').length;
  for (const [, r] of resumes) {
    if (r.status === 'rejected') {
      const code = (r.reason as { code?: string }).code ?? '';
      assert.ok(['STATUS_CONFLICT', 'RUN_NOT_FOUND'].includes(code), `a resume failed with ${String(r.reason)}`);
    }
  }
  if (resumes.length > 0) {
    assert.ok(deleted ? winners <= 1 : winners === 1, `${winners} of ${resumes.length} concurrent resumes won`);
  }
}

/** Sequences 1..n; without a delete, exactly the acknowledged appends, each with its own number. */
function checkLog(events: readonly WorkflowEvent[], ops: readonly Op[], settled: Settled, deleted: boolean): void {
  const sequences = events.map((e) => e.sequence);
  assert.deepEqual(
    sequences,
    events.map((_, i) => i + 1),
    'sequences are 1..n with no gap or repeat',
  );
  if (deleted) return;
  const appended = settled.filter(
    (r, i) => ops[i]!.kind === 'append' && r.status === 'fulfilled',
  ) as PromiseFulfilledResult<WorkflowEvent>[];
  assert.equal(events.length, appended.length, 'every acknowledged append is in the log, and nothing else');
  const numbers = appended.map((r) => r.value.sequence).sort((a, b) => a - b);
  assert.deepEqual(numbers, sequences, 'each append got its own number');
}

/** The latest completion of each node, in the order of latest completion. */
function latestOutputs(events: readonly WorkflowEvent[]): [string, JsonValue][] {
  const latest = new Map<string, JsonValue>();
  for (const e of events) {
    if (e.event_type !== 'node_completed') continue;
    latest.delete(e.payload.node_id as string);
    latest.set(e.payload.node_id as string, e.payload.output ?? null);
  }
  return [...latest];
}

/** Outputs equal the latest completions (MUST); their order is only recommended (WF-OUT-4). */
function checkOutputs(name: string, outputs: [string, JsonValue][], expected: [string, JsonValue][]) {
  const byNode = (entries: [string, JsonValue][]) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
  assert.deepEqual(byNode(outputs), byNode(expected), 'outputs are the latest completion of each node');
  if (JSON.stringify(outputs) === JSON.stringify(expected)) return undefined;
  const ids = (entries: [string, JsonValue][]) => JSON.stringify(entries.map(([id]) => id));
  return `${name}: outputs listed as ${ids(outputs)}, latest completion order ${ids(expected)}`;
}

/** One run: the calls started in the scheduler's order, then every invariant checked. */
async function runOnce(
  store: IWorkflowStore,
  scheduler: fc.Scheduler,
  ops: readonly Op[],
  name: string,
): Promise<string | undefined> {
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', status: 'failed' });
  // Each call starts when the scheduler opens its gate; calls already started run on meanwhile.
  const started = ops.map((o) => scheduler.schedule(Promise.resolve(), o.kind).then(() => call(store, o)));
  const settled = await scheduler.waitFor(Promise.allSettled(started));
  const deleted = ops.some(
    (o, i) => o.kind === 'delete' && (settled[i] as PromiseFulfilledResult<unknown>).value === true,
  );
  checkResumes(ops, settled, deleted);
  if ((await store.getWorkflowRun('r')) === null) return undefined; // deleted: nothing left to check
  const events = await store.listWorkflowEvents('r');
  checkLog(events, ops, settled, deleted);
  return checkOutputs(name, [...(await store.getCompletedDagNodeOutputs('r'))], latestOutputs(events));
}

/** The concurrent calls on run "r", one a line. */
function calls(ops: readonly Op[]): string[] {
  return ops.map((o) => JSON.stringify(o));
}

function reportOf(
  name: string,
  details: fc.RunDetails<[fc.Scheduler, Op[]]>,
  settings: PropertySettings,
  stop: HangStop,
): string {
  if (details.interrupted && details.counterexample === null) return timedOut(settings, details.numRuns);
  const [, ops] = (details.counterexample ?? []) as [unknown, Op[]];
  const what = stop.hung
    ? `a call hung, so they were not shrunk (${stop.hung.message})`
    : `shrunk to ${ops?.length ?? '?'}`;
  return [
    `${name}: ${(details.errorInstance as Error | undefined)?.message ?? 'the property failed'}`,
    `concurrent calls on run "r" (created "failed"), ${what}:`,
    ...(ops ?? []).map((o) => `  ${JSON.stringify(o)}`),
    replayLine(settings, details.seed, details.counterexamplePath ?? undefined),
  ].join('\n');
}

/** One store, on a clock each run sets (the ids are never used: every call names run "r"). */
function keptStore(initializer: StoreTestInitializer): Keepable<{ store: IWorkflowStore; sources: RunSources }> {
  const capabilities = capabilitiesOf(initializer);
  return {
    async open() {
      const sources = new RunSources();
      return { store: await initializer.createStore(storeOptions(capabilities, sources)), sources };
    },
    empty: ({ store }) => emptyStore(store),
    destroy: async ({ store }) => initializer.destroyStore?.(store) ?? store.close(),
  };
}

export async function checkConcurrency(
  initializer: StoreTestInitializer,
  settings: PropertySettings,
): Promise<PropertyResult> {
  const stop = new HangStop();
  const recommendations = new Map<string, string>();
  const kept = new KeptStores(keptStore(initializer), stop);
  let keptOps: readonly Op[] = [];
  const property = fc.asyncProperty(fc.scheduler(), fc.array(op, { minLength: 2, maxLength: 14 }), async (s, ops) => {
    if (stop.hung) return;
    await kept.run(async ({ store, sources }, onKept) => {
      sources.use(new ManualClock().now, () => 'unused');
      if (onKept) keptOps = ops;
      try {
        const order = await runOnce(store, onKept ? fc.cloneIfNeeded(s) : s, ops, initializer.name);
        if (order !== undefined) recommendations.set('WF-OUT-4', order);
      } catch (error) {
        stop.note(error);
        throw error;
      }
    });
  });
  const details = await fc
    .check(property, {
      numRuns: settings.numRuns,
      seed: settings.seed,
      path: settings.path,
      ...timeLimitOptions(settings),
    })
    .finally(() => kept.end());
  const found = [...recommendations].map(([rule, message]) => ({ rule, message }));
  const [, ops] = (details.counterexample ?? []) as [unknown, Op[]];
  const residue = details.failed || kept.residue === undefined ? undefined : keptOps;
  return {
    failed: details.failed || residue !== undefined,
    numRuns: details.numRuns,
    seed: details.seed,
    report: details.failed
      ? reportOf(initializer.name, details, settings, stop)
      : residue === undefined
        ? ''
        : residueReport(kept.residue, calls(residue), replayLine(settings, details.seed)),
    counterexampleLength: details.failed ? (ops?.length ?? 0) : (residue?.length ?? 0),
    recommendations: found,
  };
}

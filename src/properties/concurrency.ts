// Concurrent calls on one run, started in an order fast-check's scheduler chooses: appends, compare-and-set
// resumes and a delete — and since 1.2, appends fenced by a claim token racing changes of the token, and
// takeovers conditional on a lease. Checked against invariants rather than a model, since any serial order
// is allowed: sequences gapless and unique, at most one winner of a resume or takeover round (exactly one
// without a delete), outputs equal to the latest completion in sequence order, and no fenced append in the
// log after its token was replaced (each token change is logged with its event).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IWorkflowStore, JsonValue, WorkflowEvent } from '../contract/types.js';
import { ManualClock } from '../conformance/support/clock.js';
import { capabilitiesOf, type StoreTestInitializer, storeOptions } from '../conformance/initializer.js';
import { atLeast, type ContractVersion, LATEST_CONTRACT } from '../contract/versions.js';
import {
  HangStop,
  type PropertyResult,
  type PropertySettings,
  replayLine,
  timedOut,
  timeLimitOptions,
} from './differential.js';
import { emptyStore, type Keepable, KeptStores, RunSources, residueReport } from './kept-stores.js';

type Op =
  | { kind: 'append'; node: string | null; output: number }
  | { kind: 'resume' }
  | { kind: 'delete' }
  | { kind: 'fenced'; claim: string }
  | { kind: 'reclaim'; claim: string }
  | { kind: 'takeover' };

const append = fc.record({
  kind: fc.constant('append' as const),
  node: fc.constantFrom(null, 'a', 'b', 'c'),
  output: fc.integer({ min: 0, max: 99 }),
});
const claim = fc.constantFrom('c0', 'c1', 'c2');

/** The operations of the judged version: the 1.2 ones (fenced appends, token changes, takeovers) from 1.2. */
function opsOf(contract: ContractVersion): fc.Arbitrary<Op> {
  const since12: fc.WeightedArbitrary<Op>[] = [
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('fenced' as const), claim }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reclaim' as const), claim }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'takeover' as const }) },
  ];
  return fc.oneof(
    { weight: 6, arbitrary: append },
    { weight: 3, arbitrary: fc.constant({ kind: 'resume' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
    ...(atLeast(contract, '1.2') ? since12 : []),
  );
}

/** The run every round starts from: failed (to be resumed), its claim "c0" and its lease "l0". */
const START = { status: 'failed', metadata: { claim: 'c0', lease: 'l0' } } as const;

function call(store: IWorkflowStore, o: Op, index: number): Promise<unknown> {
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
    case 'fenced':
      return store.createWorkflowEvent(
        { run_id: 'r', event_type: 'fenced', payload: { claim: o.claim } },
        { expected_metadata: { claim: o.claim } },
      );
    case 'reclaim':
      return store.updateWorkflowRun(
        'r',
        { metadata: { claim: o.claim } },
        { event: { event_type: 'claimed', payload: { claim: o.claim } } },
      );
    case 'takeover':
      return store.updateWorkflowRun(
        'r',
        { metadata: { lease: `taken-${index}` } },
        { expected_metadata: { lease: 'l0' } },
      );
  }
}

type Settled = PromiseSettledResult<unknown>[];

/**
 * Of the rounds of `kind` (resumes expecting "failed", takeovers expecting lease "l0") at most one wins —
 * exactly one when no delete happened — and the others conflict.
 */
function checkRound(kind: 'resume' | 'takeover', ops: readonly Op[], settled: Settled, deleted: boolean): void {
  const round = ops.map((o, i) => [o, settled[i]!] as const).filter(([o]) => o.kind === kind);
  const winners = round.filter(([, r]) => r.status === 'fulfilled').length;
  for (const [, r] of round) {
    if (r.status === 'rejected') {
      const code = (r.reason as { code?: string }).code ?? '';
      assert.ok(['STATUS_CONFLICT', 'RUN_NOT_FOUND'].includes(code), `a ${kind} failed with ${String(r.reason)}`);
    }
  }
  if (round.length > 0) {
    assert.ok(deleted ? winners <= 1 : winners === 1, `${winners} of ${round.length} concurrent ${kind}s won`);
  }
}

/**
 * Sequences 1..n; without a delete, exactly the acknowledged appends (fenced ones included), each with its
 * own number, and the event of each acknowledged token change.
 */
function checkLog(events: readonly WorkflowEvent[], ops: readonly Op[], settled: Settled, deleted: boolean): void {
  const sequences = events.map((e) => e.sequence);
  assert.deepEqual(
    sequences,
    events.map((_, i) => i + 1),
    'sequences are 1..n with no gap or repeat',
  );
  if (deleted) return;
  const acknowledged = (kinds: Op['kind'][]) =>
    settled.filter((r, i) => kinds.includes(ops[i]!.kind) && r.status === 'fulfilled');
  const appended = acknowledged(['append', 'fenced']) as PromiseFulfilledResult<WorkflowEvent>[];
  const claimed = events.filter((e) => e.event_type === 'claimed');
  assert.equal(claimed.length, acknowledged(['reclaim']).length, 'each token change is logged with its event');
  assert.equal(
    events.length - claimed.length,
    appended.length,
    'every acknowledged append is in the log, and nothing else',
  );
  const numbers = appended.map((r) => r.value.sequence).sort((a, b) => a - b);
  assert.deepEqual(
    numbers,
    events.filter((e) => e.event_type !== 'claimed').map((e) => e.sequence),
    'each append got its own number',
  );
}

/** No fenced append landed while another token held the run: the log says which token held it (WF-SEQ-4). */
function checkFences(events: readonly WorkflowEvent[], ops: readonly Op[], settled: Settled): void {
  let current: unknown = START.metadata.claim;
  for (const e of events) {
    if (e.event_type === 'claimed') current = e.payload.claim;
    if (e.event_type === 'fenced') {
      assert.equal(
        e.payload.claim,
        current,
        `event ${e.sequence}, fenced by claim ${String(e.payload.claim)}, landed while ${String(current)} held the run`,
      );
    }
  }
  for (const [i, r] of settled.entries()) {
    if (ops[i]!.kind !== 'fenced' || r.status === 'fulfilled') continue;
    const code = (r.reason as { code?: string }).code ?? '';
    assert.ok(['STATUS_CONFLICT', 'RUN_NOT_FOUND'].includes(code), `a fenced append failed with ${String(r.reason)}`);
  }
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
  await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', ...START });
  // Each call starts when the scheduler opens its gate; calls already started run on meanwhile.
  const started = ops.map((o, i) => scheduler.schedule(Promise.resolve(), o.kind).then(() => call(store, o, i)));
  const settled = await scheduler.waitFor(Promise.allSettled(started));
  const deleted = ops.some(
    (o, i) => o.kind === 'delete' && (settled[i] as PromiseFulfilledResult<unknown>).value === true,
  );
  checkRound('resume', ops, settled, deleted);
  checkRound('takeover', ops, settled, deleted);
  if ((await store.getWorkflowRun('r')) === null) return undefined; // deleted: nothing left to check
  const events = await store.listWorkflowEvents('r');
  checkLog(events, ops, settled, deleted);
  checkFences(events, ops, settled);
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
    `concurrent calls on run "r" (created ${JSON.stringify(START)}), ${what}:`,
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
  const op = opsOf(settings.contract ?? LATEST_CONTRACT);
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

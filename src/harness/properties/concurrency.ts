// Concurrent calls on one run, started in an order fast-check's scheduler chooses: appends, compare-and-set
// resumes and a delete. Checked against invariants rather than a model, since any serial order is allowed:
// sequences gapless and unique, at most one winner of a resume round (exactly one without a delete),
// outputs equal to the latest completion in sequence order.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IWorkflowStore, JsonValue, WorkflowEvent } from '../../contract/types.js';
import { ManualClock } from '../clock.js';
import { capabilitiesOf, type StoreTestInitializer, storeOptions } from '../initializer.js';
import { HangStop, type PropertyResult, type PropertySettings, replayLine } from './differential.js';

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

export async function checkConcurrency(
  initializer: StoreTestInitializer,
  settings: PropertySettings,
): Promise<PropertyResult> {
  const capabilities = capabilitiesOf(initializer);
  const stop = new HangStop();
  const recommendations = new Map<string, string>();
  const property = fc.asyncProperty(fc.scheduler(), fc.array(op, { minLength: 2, maxLength: 14 }), async (s, ops) => {
    if (stop.hung) return;
    const clock = new ManualClock();
    const store = await initializer.createStore(
      storeOptions(capabilities, { now: clock.now, generateId: () => 'unused' }),
    );
    try {
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '', status: 'failed' });
      // Each call starts when the scheduler opens its gate; calls already started run on meanwhile.
      const started = ops.map((o) => s.schedule(Promise.resolve(), `${o.kind}`).then(() => call(store, o)));
      const settled = await s.waitFor(Promise.allSettled(started));
      const deleted = ops.some(
        (o, i) =>
          o.kind === 'delete' &&
          settled[i]!.status === 'fulfilled' &&
          (settled[i] as PromiseFulfilledResult<unknown>).value === true,
      );

      const resumes = ops.map((o, i) => [o, settled[i]!] as const).filter(([o]) => o.kind === 'resume');
      const winners = resumes.filter(([, r]) => r.status === 'fulfilled').length;
      for (const [, r] of resumes) {
        if (r.status === 'rejected')
          assert.ok(
            ['STATUS_CONFLICT', 'RUN_NOT_FOUND'].includes((r.reason as { code?: string }).code ?? ''),
            `a resume failed with ${String(r.reason)}`,
          );
      }
      if (resumes.length > 0)
        assert.ok(deleted ? winners <= 1 : winners === 1, `${winners} of ${resumes.length} concurrent resumes won`);

      const run = await store.getWorkflowRun('r');
      if (run === null) return; // deleted: nothing left to check
      const events = await store.listWorkflowEvents('r');
      assert.deepEqual(
        events.map((e) => e.sequence),
        events.map((_, i) => i + 1),
        'sequences are 1..n with no gap or repeat',
      );
      if (!deleted) {
        const appended = settled.filter(
          (r, i) => ops[i]!.kind === 'append' && r.status === 'fulfilled',
        ) as PromiseFulfilledResult<WorkflowEvent>[];
        assert.equal(events.length, appended.length, 'every acknowledged append is in the log, and nothing else');
        assert.deepEqual(
          appended.map((r) => r.value.sequence).sort((a, b) => a - b),
          events.map((e) => e.sequence),
          'each append got its own number',
        );
      }
      const latest = new Map<string, { sequence: number; output: JsonValue }>();
      for (const e of events) {
        if (e.event_type === 'node_completed') {
          latest.delete(e.payload.node_id as string);
          latest.set(e.payload.node_id as string, { sequence: e.sequence, output: e.payload.output ?? null });
        }
      }
      const outputs = [...(await store.getCompletedDagNodeOutputs('r'))];
      const expected = [...latest].map(([id, v]) => [id, v.output]);
      const byNode = (entries: unknown[][]) => [...entries].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
      assert.deepEqual(byNode(outputs), byNode(expected), 'outputs are the latest completion of each node');
      // Their order is only recommended (WF-OUT-4).
      if (JSON.stringify(outputs) !== JSON.stringify(expected)) {
        recommendations.set(
          'WF-OUT-4',
          `${initializer.name}: outputs listed as ${JSON.stringify(outputs.map((e) => e[0]))}, latest completion order ${JSON.stringify(expected.map((e) => e[0]))}`,
        );
      }
    } catch (error) {
      stop.note(error);
      throw error;
    } finally {
      await (initializer.destroyStore?.(store) ?? store.close()).catch(() => {});
    }
  });
  const details = await fc.check(property, { numRuns: settings.numRuns, seed: settings.seed, path: settings.path });
  const found = [...recommendations].map(([rule, message]) => ({ rule, message }));
  if (!details.failed) {
    return {
      failed: false,
      numRuns: details.numRuns,
      seed: details.seed,
      report: '',
      counterexampleLength: 0,
      recommendations: found,
    };
  }
  const [, ops] = (details.counterexample ?? []) as [unknown, Op[]];
  const what = stop.hung
    ? `a call hung, so they were not shrunk (${stop.hung.message})`
    : `shrunk to ${ops?.length ?? '?'}`;
  const report = [
    `${initializer.name}: ${(details.errorInstance as Error | undefined)?.message ?? 'the property failed'}`,
    `concurrent calls on run "r" (created "failed"), ${what}:`,
    ...(ops ?? []).map((o) => `  ${JSON.stringify(o)}`),

    replayLine(settings, details.seed, details.counterexamplePath ?? undefined),
  ].join('\n');
  return {
    failed: true,
    numRuns: details.numRuns,
    seed: details.seed,
    report,
    counterexampleLength: ops?.length ?? 0,
    recommendations: found,
  };
}

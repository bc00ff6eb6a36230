// Random stores moved between every ordered pair of backends, by copy and by export + import: the target
// then answers every read exactly as the source does (runs, timestamps, logs, outputs, key order, NUL and
// lone surrogates inside JSON strings, 1 MiB payloads). WFSTORE_PROPERTY_RUNS and WFSTORE_PROPERTY_SEED are honoured.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { IWorkflowStore, JsonObject, JsonValue, RunStatus } from '../../src/contract/types.js';
import { ManualClock, sequentialIds } from '../../src/conformance/support/clock.js';
import {
  eventType,
  jsonObject,
  jsonValue,
  status,
  userMessage,
  workflowName,
} from '../../src/properties/arbitraries.js';
import { propertySettings } from '../../src/properties/differential.js';
import type { ReferenceInitializer } from '../../src/conformance/reference-initializer.js';
import { openArchiveOutput } from '../../src/transfer/archive.js';
import { copyStore, exportStore, importArchive } from '../../src/transfer/transfer.js';
import { selectedBackends } from '../support/backends.js';

const backends = selectedBackends();
const settings = propertySettings({}, { numRuns: 6 });
const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-transfer-'));

before(async () => {
  for (const b of backends) await b.beforeAll?.();
});
after(async () => {
  for (const b of backends) await b.afterAll?.();
  rmSync(scratch, { recursive: true, force: true });
});

/** What is done to one run: created, events appended, status moves tried (some refused), time passing. */
interface RunPlan {
  workflow_name: string;
  user_message: string;
  metadata: JsonObject;
  steps: Step[];
}
type Step =
  | { kind: 'event'; event_type: string; payload: JsonObject; tick: number }
  | { kind: 'update'; status: RunStatus | undefined; metadata: JsonObject | undefined; event: boolean; tick: number };

const MIB = 1024 * 1024;
/** A string whose JSON is just over 1 MiB of UTF-8, with the characters that tend to break. */
const big = (seed: number): string => `${'é\u0000\ud800"\\'.repeat(MIB / 8)}${seed}`;

const payload: fc.Arbitrary<JsonObject> = fc.oneof(
  { weight: 12, arbitrary: jsonObject },
  { weight: 1, arbitrary: fc.nat(99).map((n) => ({ big: big(n) })) },
);
const tick = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90_000 }));
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('event' as const), event_type: eventType, payload, tick }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      status: fc.option(status, { nil: undefined }),
      metadata: fc.option(jsonObject, { nil: undefined }),
      event: fc.boolean(),
      tick,
    }),
  },
);
const runPlan: fc.Arbitrary<RunPlan> = fc.record({
  workflow_name: workflowName,
  user_message: userMessage,
  metadata: jsonObject,
  steps: fc.array(step, { maxLength: 8 }),
});

/** A node_completed payload needs its node and output (WF-EVT-3); others go as generated. */
function eventPayload(type: string, generated: JsonObject, output: JsonValue, node: string): JsonObject {
  return type === 'node_completed' ? { ...generated, node_id: node, output } : generated;
}

/** Builds the planned runs through the public interface, on a clock that moves as planned. */
async function fill(store: IWorkflowStore, clock: ManualClock, plans: RunPlan[], outputs: JsonValue[]): Promise<void> {
  for (const [i, plan] of plans.entries()) {
    const { steps, ...fields } = plan;
    const { id } = await store.createWorkflowRun({ ...fields, id: `run-${i}` });
    for (const [j, s] of steps.entries()) {
      clock.advance(s.tick);
      if (s.kind === 'event') {
        const node = `n${j % 3}`;
        const body = eventPayload(s.event_type, s.payload, outputs[j % outputs.length] ?? null, node);
        await store.createWorkflowEvent({ run_id: id, event_type: s.event_type, payload: body });
        continue;
      }
      const event = s.event ? { event_type: 'status_changed', payload: { to: s.status ?? null } } : undefined;
      // A move the transition table refuses is part of the test: the store stays as it was.
      await store.updateWorkflowRun(id, { status: s.status, metadata: s.metadata }, { event }).catch(() => {});
    }
  }
}

/** Everything a reader can see, as text that keeps key order and every code unit. */
async function observe(store: IWorkflowStore): Promise<string> {
  const runs = await store.listWorkflowRuns();
  const seen: unknown[] = [runs];
  for (const run of runs) {
    seen.push(await store.getWorkflowRun(run.id));
    seen.push(await store.listWorkflowEvents(run.id));
    seen.push([...(await store.getCompletedDagNodeOutputs(run.id))]);
  }
  return JSON.stringify(seen);
}

async function fresh(backend: ReferenceInitializer, clock = new ManualClock()): Promise<IWorkflowStore> {
  return backend.createStore({ now: clock.now, generateId: sequentialIds() });
}

const pairs = backends.flatMap((from) => backends.map((to) => [from, to] as const)).filter(([a, b]) => a !== b);

for (const [from, to] of pairs) {
  it(`random stores copied and exported ${from.name} → ${to.name} read back identical`, {
    timeout: 3_600_000,
  }, async () => {
    let trial = 0;
    const property = fc.asyncProperty(
      fc.array(runPlan, { minLength: 1, maxLength: 3 }),
      fc.array(jsonValue, { minLength: 1, maxLength: 3 }),
      async (plans, outputs) => {
        const clock = new ManualClock();
        const source = await fresh(from, clock);
        const [copied, imported] = [await fresh(to), await fresh(to)];
        try {
          await fill(source, clock, plans, outputs);
          const expected = await observe(source);
          const copy = await copyStore(source, copied);
          assert.deepEqual(copy.mismatches, [], 'copy: runs that did not read back equal');
          assert.equal(await observe(copied), expected, 'copy: the target differs from the source');

          const file = path.join(scratch, `${from.name}-${to.name}-${trial++}.ndjson${trial % 2 ? '.gz' : ''}`);
          const out = openArchiveOutput(file);
          await exportStore(source, out.stream);
          out.stream.end();
          await out.done;
          const back = await importArchive(imported, file);
          assert.equal(back.copied, plans.length);
          assert.equal(await observe(imported), expected, 'export + import: the target differs from the source');
        } finally {
          for (const store of [source, copied, imported]) await (store === source ? from : to).destroyStore?.(store);
        }
      },
    );
    const { numRuns, seed, path: replay } = settings;
    const details = await fc.check(property, { numRuns, seed, path: replay });
    assert.equal(details.failed, false, `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
  });
}

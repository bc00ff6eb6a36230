// Damage done to a SQL store's rows behind its back (as a disk fault or a stray hand would), and what the
// store and `verify` must then say (docs/contract.md, WF-DUR-2). One suite for both SQL backends: each test
// file supplies a fresh store and a second connection to tamper through.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { WorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, JsonObject } from '../../src/contract/types.js';
import type { Damage, VerifyReport } from '../../src/backends/verify.js';
import { rejectsWith } from './assertions.js';

type Table = 'workflow_runs' | 'workflow_events' | 'workflow_node_outputs';

export interface DamageTarget {
  store: IWorkflowStore;
  /** Runs SQL on a second connection. */
  exec(sql: string): Promise<void>;
  rows<R>(sql: string): Promise<R[]>;
  /** A table as SQL names it (schema-qualified on PostgreSQL). */
  table(name: Table): string;
  /** JSON text as a literal of the JSON columns' type. */
  json(text: string): string;
  /** The backend's `verify` (through its descriptor) on the store's data. */
  verify(repair: boolean): Promise<VerifyReport>;
  close(): Promise<void>;
}

/** Run r's log: 1 start, 2 completion of n1, 3 tick, 4 completion of n2, 5 tick. */
export const LOG: { event_type: string; payload: JsonObject }[] = [
  { event_type: 'node_started', payload: { node_id: 'n1' } },
  { event_type: 'node_completed', payload: { node_id: 'n1', output: { rows: 42, note: 'ok' } } },
  { event_type: 'tick', payload: { i: 3, note: 'steady' } },
  { event_type: 'node_completed', payload: { node_id: 'n2', output: [1, 2] } },
  { event_type: 'tick', payload: { i: 5, note: 'last' } },
];

export async function fill(store: IWorkflowStore, runId: string): Promise<void> {
  await store.createWorkflowRun({ id: runId, workflow_name: 'w', user_message: '' });
  for (const event of LOG) await store.createWorkflowEvent({ run_id: runId, ...event });
}

/** The SQL that does one kind of damage to run `runId` of a store filled by fill(). */
export const damage = {
  /** One byte of event `sequence`'s payload changed: its last letter (it stays valid JSON). */
  payloadByte: (t: DamageTarget, runId: string, sequence: number) => {
    const text = JSON.stringify(LOG[sequence - 1]!.payload).replace(/[a-y](?=[^a-z]*$)/, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 1),
    );
    return `UPDATE ${t.table('workflow_events')} SET payload = ${t.json(text)}
            WHERE run_id = '${runId}' AND sequence = ${sequence}`;
  },
  eventTypeByte: (t: DamageTarget, runId: string, sequence: number) =>
    `UPDATE ${t.table('workflow_events')} SET event_type = 'tack' WHERE run_id = '${runId}' AND sequence = ${sequence}`,
  rowsLost: (t: DamageTarget, runId: string, ...sequences: number[]) =>
    `DELETE FROM ${t.table('workflow_events')} WHERE run_id = '${runId}' AND sequence IN (${sequences.join(', ')})`,
  lastSequence: (t: DamageTarget, runId: string, last: number) =>
    `UPDATE ${t.table('workflow_runs')} SET last_sequence = ${last} WHERE id = '${runId}'`,
  /** Node `nodeId`'s output row set to `text`; by default one that differs from its completion in LOG. */
  output: (t: DamageTarget, runId: string, nodeId: string, text = '{"rows":43,"note":"ok"}') =>
    `UPDATE ${t.table('workflow_node_outputs')} SET output = ${t.json(text)}
     WHERE run_id = '${runId}' AND node_id = '${nodeId}'`,
  outputSequence: (t: DamageTarget, runId: string, nodeId: string, sequence: number) =>
    `UPDATE ${t.table('workflow_node_outputs')} SET sequence = ${sequence}
     WHERE run_id = '${runId}' AND node_id = '${nodeId}'`,
};

/** The call failed with STORE_CORRUPTED naming the run and `place`. */
async function corrupted(call: Promise<unknown>, runId: string, place: RegExp): Promise<WorkflowStoreError> {
  const error = await rejectsWith(call, 'STORE_CORRUPTED');
  assert.equal(error.runId, runId);
  assert.match(error.message, new RegExp(`workflow run "${runId}"`));
  assert.match(error.message, place);
  return error;
}

/** What the run's rows hold, read past the store: the row count, the highest sequence and last_sequence. */
async function written(t: DamageTarget, runId: string) {
  const [events] = await t.rows<{ n: unknown; m: unknown }>(
    `SELECT count(*) AS n, max(sequence) AS m FROM ${t.table('workflow_events')} WHERE run_id = '${runId}'`,
  );
  const [run] = await t.rows<{ last: unknown; status: string }>(
    `SELECT last_sequence AS last, status FROM ${t.table('workflow_runs')} WHERE id = '${runId}'`,
  );
  return { count: Number(events!.n), max: Number(events!.m), last: Number(run!.last), status: run!.status };
}

/** Every call that writes to a log refuses, and writes nothing. */
async function appendsRefused(t: DamageTarget, runId: string, place: RegExp): Promise<void> {
  const before = await written(t, runId);
  await corrupted(t.store.createWorkflowEvent({ run_id: runId, event_type: 'more' }), runId, place);
  await corrupted(
    t.store.createWorkflowEvent({ run_id: runId, event_type: 'node_completed', payload: { node_id: 'n3' } }),
    runId,
    place,
  );
  const withEvent = t.store.updateWorkflowRun(runId, { status: 'running' }, { event: { event_type: 'resumed' } });
  await corrupted(withEvent, runId, place);
  assert.deepEqual(await written(t, runId), before, 'the refused calls wrote nothing');
}

/** Another run of the same store reads and appends as before. */
async function otherRunFine(t: DamageTarget): Promise<void> {
  assert.equal((await t.store.listWorkflowEvents('other')).length, LOG.length);
  assert.deepEqual(
    await t.store.getCompletedDagNodeOutputs('other'),
    new Map<string, unknown>([
      ['n1', { rows: 42, note: 'ok' }],
      ['n2', [1, 2]],
    ]),
  );
  assert.equal((await t.store.createWorkflowEvent({ run_id: 'other', event_type: 'more' })).sequence, LOG.length + 1);
}

type Call = (store: IWorkflowStore) => Promise<unknown>;
const whole: Call = (store) => store.listWorkflowEvents('r');
const firstPage: Call = (store) => store.listWorkflowEvents('r', { limit: 1 });
const pageOf2And3: Call = (store) => store.listWorkflowEvents('r', { after_sequence: 1, limit: 2 });
const outputs: Call = (store) => store.getCompletedDagNodeOutputs('r');

/** One kind of damage to run r, and what meets it. */
interface Case {
  title: string;
  tamper: (t: DamageTarget) => string;
  /** What the error names. */
  place: RegExp;
  /** The reads that fail. */
  reads: Call[];
  /** Whether appends (plain, node_completed, an update with its event) fail too, writing nothing. */
  appends: boolean;
  /** A page that does not meet the damage, and the sequences it reads: each call checks what it returns. */
  unharmed?: [after_sequence: number, sequences: number[]];
}

const CASES: Case[] = [
  {
    title: 'a changed byte in a payload fails the pages that hold it and the outputs read from it',
    tamper: (t) => damage.payloadByte(t, 'r', 2),
    place: /workflow_events sequence 2: checksum mismatch/,
    reads: [whole, pageOf2And3, outputs],
    appends: false,
    unharmed: [2, [3, 4, 5]],
  },
  ...(['payload', 'event_type'] as const).map((column) => ({
    title: `a changed byte in the last event's ${column} fails every read and append of the run`,
    tamper: (t: DamageTarget) => (column === 'payload' ? damage.payloadByte : damage.eventTypeByte)(t, 'r', 5),
    place: /workflow_events sequence 5: checksum mismatch/,
    reads: [whole, firstPage, outputs],
    appends: true,
  })),
  {
    title: 'a row missing in the middle fails every page that spans it, naming it; the numbers stay as stored',
    tamper: (t) => damage.rowsLost(t, 'r', 3),
    place: /workflow_events sequence 3: missing/,
    reads: [whole, pageOf2And3],
    appends: false,
    unharmed: [3, [4, 5]],
  },
  {
    title: 'rows missing at the end fail every read and append of the run, naming the first one lost',
    tamper: (t) => damage.rowsLost(t, 'r', 4, 5),
    place: /workflow_events sequence 4: missing: the run records last_sequence 5/,
    reads: [whole, firstPage, outputs],
    appends: true,
  },
  {
    title: 'a row beyond the last sequence the run records fails its reads and appends',
    tamper: (t) => damage.lastSequence(t, 'r', 4),
    place: /workflow_events sequence 5: lies beyond the run's last_sequence 4/,
    reads: [whole, firstPage, outputs],
    appends: true,
  },
];

/** The store's reads and appends on a damaged run. */
export function describeDamageOnCalls(backend: string, open: () => Promise<DamageTarget>): void {
  describe(`${backend}: damage is reported by the calls that meet it`, () => {
    let t: DamageTarget;
    beforeEach(async () => {
      t = await open();
      await fill(t.store, 'r');
      await fill(t.store, 'other');
    });
    afterEach(async () => t.close());

    for (const { title, tamper, place, reads, appends, unharmed } of CASES) {
      it(title, async () => {
        await t.exec(tamper(t));
        for (const read of reads) await corrupted(read(t.store), 'r', place);
        if (appends) await appendsRefused(t, 'r', place);
        if (unharmed !== undefined) {
          const page = await t.store.listWorkflowEvents('r', { after_sequence: unharmed[0] });
          assert.deepEqual(
            page.map((e) => e.sequence),
            unharmed[1],
          );
        }
        await otherRunFine(t);
      });
    }

    it('an output row that does not match its event fails the outputs read; the log still reads', async () => {
      await t.exec(damage.output(t, 'r', 'n1'));
      const error = await corrupted(outputs(t.store), 'r', /workflow_node_outputs node "n1"/);
      assert.match(error.message, /sequence 2: the output differs/);
      assert.equal((await t.store.listWorkflowEvents('r')).length, LOG.length);
      await t.exec(damage.output(t, 'r', 'n1', '{"rows":42,"note":"ok"}'));
      await t.exec(damage.outputSequence(t, 'r', 'n2', 3));
      await corrupted(outputs(t.store), 'r', /node "n2" sequence 3: that event is no completion/);
      await otherRunFine(t);
    });
  });
}

/** The places and repairability a report found, sorted, for comparison. */
const found = (report: VerifyReport) =>
  report.damage
    .map((d: Damage) => `${d.runId} | ${d.where} | ${d.repairable ? 'repairable' : 'not repairable'}`)
    .sort();

/** `verify` on a store with one kind of damage per run. */
export function describeDamageOnVerify(backend: string, open: () => Promise<DamageTarget>): void {
  describe(`${backend}: verify finds every kind of damage, repairs only outputs`, () => {
    let t: DamageTarget;
    beforeEach(async () => (t = await open()));
    afterEach(async () => t.close());

    it('reports a healthy store healthy', async () => {
      for (const run of ['a', 'b']) await fill(t.store, run);
      await t.store.createWorkflowRun({ id: 'empty', workflow_name: 'w', user_message: '' });
      const report = await t.verify(false);
      assert.deepEqual({ ...report, location: '' }, { backend, location: '', runs: 3, events: 10, damage: [] });
    });

    it('names each damage by run and place; --repair rebuilds outputs of intact logs, never events', async () => {
      for (const run of ['byte', 'gap', 'end', 'output', 'both', 'fine']) await fill(t.store, run);
      for (const sql of [
        damage.eventTypeByte(t, 'byte', 3),
        damage.rowsLost(t, 'gap', 2),
        damage.rowsLost(t, 'end', 5),
        damage.output(t, 'output', 'n1'),
        damage.outputSequence(t, 'output', 'n2', 3),
        damage.payloadByte(t, 'both', 3),
        damage.output(t, 'both', 'n1'),
      ]) {
        await t.exec(sql);
      }
      const events = () => t.rows(`SELECT * FROM ${t.table('workflow_events')} ORDER BY run_id, sequence`);
      const before = await events();
      const expected = [
        'both | workflow_events sequence 3 | not repairable',
        'byte | workflow_events sequence 3 | not repairable',
        'end | workflow_events sequence 5 | not repairable',
        'gap | workflow_events sequence 2 | not repairable',
        'output | workflow_node_outputs node "n1" sequence 2 | repairable',
        'output | workflow_node_outputs node "n2" sequence 3 | repairable',
      ];
      const report = await t.verify(false);
      assert.deepEqual(found(report), expected);
      assert.equal(report.runs, 6);
      assert.ok(report.damage.every((d) => d.repaired === undefined));

      const repaired = await t.verify(true);
      assert.deepEqual(found(repaired), expected);
      assert.deepEqual(
        repaired.damage.filter((d) => d.repaired).map((d) => d.where),
        ['workflow_node_outputs node "n1" sequence 2', 'workflow_node_outputs node "n2" sequence 3'],
      );
      assert.deepEqual(await events(), before, 'no event row changed');
      assert.deepEqual(
        await t.store.getCompletedDagNodeOutputs('output'),
        new Map<string, unknown>([
          ['n1', { rows: 42, note: 'ok' }],
          ['n2', [1, 2]],
        ]),
      );
      await rejectsWith(t.store.getCompletedDagNodeOutputs('both'), 'STORE_CORRUPTED');
      assert.deepEqual(
        found(await t.verify(false)),
        expected.filter((line) => !line.startsWith('output')),
      );
    });
  });
}

// listWorkflowRuns of a SQL backend against the contract's own selection (selectRuns, src/contract/decide.ts):
// runs with many equal timestamps and ids that sort differently by code unit than by letter, then random
// requests (filters, order, position, bounds, limit) and whole walks page by page, each compared.

import assert from 'node:assert/strict';
import { selectRuns } from '../../src/contract/decide.js';
import {
  RUN_STATUSES,
  type IWorkflowStore,
  type ListWorkflowRunsOptions,
  type WorkflowRun,
} from '../../src/contract/types.js';
import { parseListRuns } from '../../src/contract/validation.js';

/** A seeded generator (mulberry32): the same requests on every run of the test. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock that stands still two calls in three: many runs share a created_at. */
export function stutteringClock(random: () => number): () => Date {
  let t = Date.UTC(2026, 0, 1);
  return () => {
    if (random() >= 0.67) t += 1;
    return new Date(t);
  };
}

const ID_CHARS = 'ABZabz09._-';
const WORKFLOWS = ['etl', 'Etl', 'report'];

/** `count` runs: ids of mixed case and punctuation (code-unit order differs from a letter order), 3 workflows. */
export async function createRuns(store: IWorkflowStore, count: number, random: () => number): Promise<WorkflowRun[]> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const runs: WorkflowRun[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${pick(['a', 'B', '0', 'z'])}${Array.from({ length: 3 }, () => pick([...ID_CHARS])).join('')}${i}`;
    const status = pick(['pending', 'running', 'failed', 'cancelled'] as const);
    runs.push(await store.createWorkflowRun({ id, workflow_name: pick(WORKFLOWS), user_message: '', status }));
  }
  return runs;
}

/** A random listing request over `runs`: positions and bounds at runs' timestamps, beside them, or elsewhere. */
export function randomListing(runs: readonly WorkflowRun[], random: () => number): ListWorkflowRunsOptions {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sometimes = (p: number) => random() < p;
  const stamp = () => {
    const at = new Date(pick(runs).created_at).getTime() + pick([-1, 0, 0, 0, 1]);
    return new Date(at).toISOString();
  };
  const options: ListWorkflowRunsOptions = {};
  if (sometimes(0.5)) options.order = pick(['asc', 'desc'] as const);
  if (sometimes(0.3)) options.status = pick(RUN_STATUSES);
  if (sometimes(0.3)) options.workflow_name = pick(WORKFLOWS);
  if (sometimes(0.3)) options.created_after = stamp();
  if (sometimes(0.3)) options.created_before = stamp();
  if (sometimes(0.6)) {
    const run = pick(runs);
    options.after = sometimes(0.7)
      ? { created_at: run.created_at, id: run.id }
      : { created_at: stamp(), id: pick(runs).id };
  }
  if (sometimes(0.7)) options.limit = Math.floor(random() * 25);
  return options;
}

/** Each request's answer is the contract's selection from every run. */
export async function listingsMatchTheContract(
  store: IWorkflowStore,
  runs: readonly WorkflowRun[],
  requests: number,
  random: () => number,
): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const options = randomListing(runs, random);
    const listed = (await store.listWorkflowRuns(options)).map((run) => run.id);
    const expected = selectRuns(runs, parseListRuns(options)).map((run) => run.id);
    assert.deepEqual(listed, expected, `listWorkflowRuns(${JSON.stringify(options)})`);
  }
}

/** Walking page by page with `after` gives every matching run once, in order, for each filter and order. */
export async function walksMatchTheContract(store: IWorkflowStore, runs: readonly WorkflowRun[]): Promise<void> {
  for (const order of ['asc', 'desc'] as const) {
    for (const filter of [
      {},
      { status: 'failed' as const },
      { workflow_name: 'Etl' },
      { workflow_name: 'etl', status: 'running' as const },
    ]) {
      const seen: string[] = [];
      let after: { created_at: string; id: string } | undefined;
      for (;;) {
        const page = await store.listWorkflowRuns({ order, ...filter, limit: 7, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...page.map((run) => run.id));
        const last = page.at(-1)!;
        after = { created_at: last.created_at, id: last.id };
      }
      const expected = selectRuns(runs, parseListRuns({ order, ...filter })).map((run) => run.id);
      assert.deepEqual(seen, expected, `pages of 7, ${order}, ${JSON.stringify(filter)}`);
    }
  }
}

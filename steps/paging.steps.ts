// Runs listed newest first and paged by keyset (WF-RUN-7): positions taken from the runs a scenario made,
// and whole pagings, with runs created and deleted between pages.

import { type DataTable, defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { ListWorkflowRunsOptions, RunPosition, WorkflowRun } from '../src/contract/types.js';
import { givenRun } from './runs.steps.js';
import type { StoreWorld } from './support/world.js';

type Order = 'asc' | 'desc';

defineParameterType({
  name: 'order',
  regexp: /oldest first|newest first/,
  transformer: (words: string): Order => (words === 'newest first' ? 'desc' : 'asc'),
});

const ids = (text: string) => (text === '' ? [] : text.split(',').map((s) => s.trim()));

/** Where run `id` is (or was, if a step noted it before it was deleted) in the list of runs. */
async function positionOf(world: StoreWorld, id: string): Promise<RunPosition> {
  const run = world.snapshots.get(id) ?? (await world.store.getWorkflowRun(id));
  assert.ok(run, `run "${id}" was never seen`);
  return { created_at: run.created_at, id: run.id };
}

/** Sorts before (< 0) or after (> 0) in the order: created_at, then id, in code units. */
function compare(a: RunPosition, b: RunPosition, order: Order): number {
  const byTime = a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
  const asc = byTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'desc' ? -asc : asc;
}

// --- Given ------------------------------------------------------------------------------------------

Given('the runs {string}, created {int} ms apart', async function (this: StoreWorld, list: string, ms: number) {
  for (const [i, id] of ids(list).entries()) {
    if (i > 0) await this.passTime(ms);
    await givenRun(this, id);
  }
});

Given(
  'the runs {string}, created {int} ms apart, {string} running and of workflow {string}',
  async function (this: StoreWorld, list: string, ms: number, running: string, workflow: string) {
    for (const [i, id] of ids(list).entries()) {
      if (i > 0) await this.passTime(ms);
      await givenRun(this, id, ids(running).includes(id) ? { status: 'running', workflow } : {});
    }
  },
);

Given('the runs {string} are created at the same instant', async function (this: StoreWorld, list: string) {
  for (const id of ids(list)) await givenRun(this, id);
});

// --- When: one list ---------------------------------------------------------------------------------

When('the runs are listed {order}', function (this: StoreWorld, order: Order) {
  return this.attempt(() => this.store.listWorkflowRuns({ order }));
});

When('the runs are listed {order} with limit {int}', function (this: StoreWorld, order: Order, limit: number) {
  return this.attempt(() => this.store.listWorkflowRuns({ order, limit }));
});

/**
 * One option a row of the table gives: `the position of run "b"`, `the created_at of run "c" and the id
 * "c0"` (a position where no run may be), `the created_at of run "b"`, or a JSON value.
 */
async function optionValue(world: StoreWorld, text: string): Promise<unknown> {
  const position = /^the position of run "([^"]*)"$/.exec(text);
  if (position) return positionOf(world, position[1]!);
  const beside = /^the created_at of run "([^"]*)" and the id "([^"]*)"$/.exec(text);
  if (beside) return { created_at: (await positionOf(world, beside[1]!)).created_at, id: beside[2] };
  const time = /^the created_at of run "([^"]*)"$/.exec(text);
  if (time) return (await positionOf(world, time[1]!)).created_at;
  return JSON.parse(text) as unknown;
}

When('the runs are listed with the options:', async function (this: StoreWorld, table: DataTable) {
  const options: Record<string, unknown> = {};
  for (const [name, text] of table.raw()) options[name!] = await optionValue(this, text!);
  return this.attempt(() => this.store.listWorkflowRuns(options as ListWorkflowRunsOptions));
});

When(
  'the runs are listed with order, after, created_after and created_before given as undefined',
  function (this: StoreWorld) {
    const options = { order: undefined, after: undefined, created_after: undefined, created_before: undefined };
    return this.attempt(() => this.store.listWorkflowRuns(options));
  },
);

Then('the listed runs are in descending order of created_at, then id', function (this: StoreWorld) {
  const runs = this.succeeded<WorkflowRun[]>();
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1]!, runs[i]!];
    assert.ok(
      compare(a, b, 'desc') < 0,
      `"${a.id}" (${a.created_at}) is listed before "${b.id}" (${b.created_at}), newest first (WF-RUN-7)`,
    );
  }
});

Then('the listed runs are those listed oldest first, reversed', async function (this: StoreWorld) {
  const oldestFirst = (await this.store.listWorkflowRuns()).map((r) => r.id);
  assert.deepEqual(
    this.succeeded<WorkflowRun[]>().map((r) => r.id),
    oldestFirst.reverse(),
  );
});

// --- When: a whole paging -----------------------------------------------------------------------------

interface Paging {
  order: Order;
  pages: WorkflowRun[][];
  /** The runs there when the paging started, and those deleted during it. */
  initial: string[];
  deleted: Set<string>;
}

/** A bound on pages, so that a store that pages in a circle ends the step. */
const MAX_PAGES = 100;

/** Pages through the runs, each page after the last run of the one before; `between` runs between pages. */
async function pageThrough(world: StoreWorld, size: number, order: Order, between?: (paging: Paging) => unknown) {
  const paging: Paging = {
    order,
    pages: [],
    initial: (await world.store.listWorkflowRuns()).map((r) => r.id),
    deleted: new Set(),
  };
  let after: RunPosition | undefined;
  while (paging.pages.length < MAX_PAGES) {
    const page = await world.store.listWorkflowRuns({ order, limit: size, ...(after ? { after } : {}) });
    paging.pages.push(page);
    const last = page.at(-1);
    if (last === undefined || page.length < size) break;
    after = { created_at: last.created_at, id: last.id };
    await between?.(paging);
  }
  world.notes.set('paging', paging);
}

When(
  'every run is listed in pages of {int}, {order}, each page after the last run of the page before',
  function (this: StoreWorld, size: number, order: Order) {
    return pageThrough(this, size, order);
  },
);

/**
 * Between two pages: a new run, a run of those there at the start that the paging has not reached (the
 * next it would list), and the last run listed — the position of the next page — deleted.
 */
async function changeBetweenPages(world: StoreWorld, paging: Paging): Promise<void> {
  const listed = new Set(paging.pages.flat().map((r) => r.id));
  await world.store.createWorkflowRun({ id: `new-${paging.pages.length}`, workflow_name: 'wf', user_message: '' });
  const ahead = (await world.store.listWorkflowRuns({ order: paging.order })).find(
    (r) => paging.initial.includes(r.id) && !listed.has(r.id),
  );
  const last = paging.pages.at(-1)!.at(-1)!;
  for (const id of [ahead?.id, last.id]) {
    if (id !== undefined && (await world.store.deleteWorkflowRun(id))) paging.deleted.add(id);
  }
}

When(
  'every run is listed in pages of {int}, {order}, each page after the last run of the page before, ' +
    'while between pages a run is created, a run not yet listed is deleted, and so is the last run listed',
  function (this: StoreWorld, size: number, order: Order) {
    return pageThrough(this, size, order, (paging) => changeBetweenPages(this, paging));
  },
);

// --- Then: a whole paging -----------------------------------------------------------------------------

const pagingOf = (world: StoreWorld) => world.notes.get('paging') as Paging;

Then('the pages list the run ids {string}', function (this: StoreWorld, expected: string) {
  const { pages } = pagingOf(this);
  assert.deepEqual(
    pages.flat().map((r) => r.id),
    ids(expected),
    `pages: ${pages.map((p) => `[${p.map((r) => r.id).join(', ')}]`).join(' ')}`,
  );
});

Then(
  'the pages hold every run once, in the order of the whole list {order}',
  async function (this: StoreWorld, order: Order) {
    const whole = (await this.store.listWorkflowRuns({ order })).map((r) => r.id);
    assert.deepEqual(
      pagingOf(this)
        .pages.flat()
        .map((r) => r.id),
      whole,
    );
  },
);

Then('every run present throughout the paging was listed exactly once', function (this: StoreWorld) {
  const { pages, initial, deleted } = pagingOf(this);
  const listed = pages.flat().map((r) => r.id);
  const wrong = initial
    .filter((id) => !deleted.has(id))
    .map((id) => [id, listed.filter((l) => l === id).length] as const)
    .filter(([, times]) => times !== 1)
    .map(([id, times]) => `"${id}" listed ${times} times`);
  assert.deepEqual(wrong, [], `pages: ${pages.map((p) => `[${p.map((r) => r.id).join(', ')}]`).join(' ')}`);
});

Then('no run was listed twice, and every page was in order', function (this: StoreWorld) {
  const { pages, order } = pagingOf(this);
  const listed = pages.flat();
  for (let i = 1; i < listed.length; i++) {
    const [a, b] = [listed[i - 1]!, listed[i]!];
    assert.ok(
      compare(a, b, order) < 0,
      `"${b.id}" (${b.created_at}) is listed after "${a.id}" (${a.created_at}): each page is strictly after ` +
        `the last run of the one before, in the order (WF-RUN-7)`,
    );
  }
});

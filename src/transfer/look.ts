// Looking inside a store without writing code: its runs as a table, a run's events as the timeline
// `wfstore demo` prints, a run's outputs; `--json` for scripts.

import { STORE_URLS, type StoreOpener } from './opener.js';
import type { IWorkflowStore, RunPosition, RunStatus, WorkflowRun } from '../contract/types.js';
import { atLeast, type ContractVersion } from '../contract/versions.js';
import { UsageError } from '../usage-error.js';
import { formatTimeline } from '../engine/timeline.js';
import { eventPages } from './run-data.js';
import { formatDuration, type IdleQuery, type IdleReport, idleRuns } from './idle.js';

async function withStore<T>(
  url: string,
  body: (store: IWorkflowStore) => Promise<T>,
  opener: StoreOpener = STORE_URLS,
): Promise<T> {
  const store = await opener.openExisting(url);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** What `wfstore runs` asks for: filters, order, position and page size (WF-RUN-4, WF-RUN-7). */
export interface RunsQuery {
  status?: RunStatus | undefined;
  workflow?: string | undefined;
  limit: number;
  /** Default: newest first, or oldest first on a store of a version before 1.2 (the only order it has). */
  order?: 'asc' | 'desc' | undefined;
  /** Only the runs after this one in the order: the last run of the previous page. */
  after?: RunPosition | undefined;
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
}

/** The page size of `wfstore runs` without --limit. */
export const RUNS_PAGE_SIZE = 50;

export interface RunsPage {
  runs: WorkflowRun[];
  order: 'asc' | 'desc';
  /** The last run's position, when more runs follow it: the next page's `after`. */
  next: RunPosition | undefined;
  /** More runs follow but the store cannot page (a version before 1.2): only a larger limit shows them. */
  more: boolean;
}

/** A page of runs: one more than the limit is asked for, so a next page is offered only when there is one. */
export async function runsPage(store: IWorkflowStore, query: RunsQuery, contract: ContractVersion): Promise<RunsPage> {
  const filters = { status: query.status, workflow_name: query.workflow, limit: query.limit + 1 };
  let runs: WorkflowRun[];
  let order: 'asc' | 'desc' = query.order ?? 'desc';
  if (atLeast(contract, '1.2')) {
    const bounds = { after: query.after, created_after: query.createdAfter, created_before: query.createdBefore };
    runs = await store.listWorkflowRuns({ ...filters, order, ...bounds });
  } else {
    const asked = [
      query.order === 'desc' && '--order desc',
      query.after && '--after',
      query.createdAfter && '--created-after',
      query.createdBefore && '--created-before',
    ].filter(Boolean);
    if (asked.length > 0)
      throw new UsageError(`${asked.join(', ')}: the store declares contract ${contract}; paging and order need 1.2`);
    order = 'asc';
    runs = await store.listWorkflowRuns(filters);
  }
  const more = runs.length > query.limit;
  const page = runs.slice(0, query.limit);
  const last = page.at(-1);
  const pages = more && last !== undefined && atLeast(contract, '1.2');
  return { runs: page, order, next: pages ? { created_at: last.created_at, id: last.id } : undefined, more };
}

/** Prints a page of runs as a table (or JSON) and returns it, for the command to say how to get the next. */
export async function showRuns(
  url: string,
  query: RunsQuery,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
): Promise<RunsPage> {
  const page = await withStore(url, (s) => runsPage(s, query, opener.contract(url)), opener);
  if (json) {
    print(JSON.stringify(page.runs, null, 2));
    return page;
  }
  const rows = page.runs.map((r) => [r.id, r.workflow_name, r.status, r.created_at, r.updated_at]);
  print(table(['id', 'workflow', 'status', 'created_at', 'updated_at'], rows));
  print(`${page.runs.length} run(s)`);
  return page;
}

/**
 * Prints the running runs idle for at least the query's duration, oldest activity first, as a table (or JSON:
 * an array of { run, last_event, last_activity, idle_ms }).
 */
export async function showIdleRuns(
  url: string,
  query: IdleQuery,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
): Promise<IdleReport> {
  const report = await withStore(url, (s) => idleRuns(s, query, opener.contract(url)), opener);
  if (json) {
    print(JSON.stringify(report.idle, null, 2));
    return report;
  }
  const rows = report.idle.map((i) => [
    i.run.id,
    i.run.workflow_name,
    i.run.status,
    i.last_activity,
    `${formatDuration(i.idle_ms)} ago`,
    i.last_event === null ? '(none)' : `#${i.last_event.sequence} ${i.last_event.event_type}`,
  ]);
  print(table(['id', 'workflow', 'status', 'last_activity', 'idle', 'last_event'], rows));
  return report;
}

/** What `--idle` found and what it read, in one line. */
export function idleSummary(report: IdleReport, idleMs: number): string {
  return (
    `${report.idle.length} run(s) idle for at least ${formatDuration(idleMs)}` +
    (report.more > 0 ? `, ${report.more} more not shown (raise --limit)` : '') +
    ` (${report.running} running run(s) listed, ${report.logsRead} log(s) read)`
  );
}

export async function showEvents(
  url: string,
  runId: string,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
) {
  await withStore(
    url,
    async (store) => {
      // An unknown run is an error, an empty one a count of 0 (listing events alone cannot tell them apart).
      if ((await store.getWorkflowRun(runId)) === null) throw new Error(`no run "${runId}" in ${opener.display(url)}`);
      let count = 0;
      for await (const page of eventPages(store, runId)) {
        print(json ? page.map((e) => JSON.stringify(e)).join('\n') : formatTimeline(page));
        count += page.length;
      }
      if (!json) print(`${count} event(s)`);
    },
    opener,
  );
}

export async function showOutputs(
  url: string,
  runId: string,
  json: boolean,
  print: (line: string) => void,
  opener: StoreOpener = STORE_URLS,
) {
  const outputs = await withStore(url, (s) => s.getCompletedDagNodeOutputs(runId), opener);
  if (json) return print(JSON.stringify(Object.fromEntries(outputs), null, 2));
  for (const [node, output] of outputs) print(`${node}  ${JSON.stringify(output)}`);
  print(`${outputs.size} completed node(s)`);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

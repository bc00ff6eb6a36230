// `wfstore runs --idle <duration>`: the runs that say `running` but have done nothing for a while, neither an
// update (updated_at, which an engine's heartbeat moves) nor an event (appending one leaves updated_at as it
// is, WF-SEQ-3). Running runs are listed a page at a time; only those whose updated_at is old enough have
// their log read, a page at a time, for its last event.

import type { IWorkflowStore, RunStatus, WorkflowEvent, WorkflowRun } from '../contract/types.js';
import { atLeast, type ContractVersion } from '../contract/versions.js';
import { UsageError } from '../usage-error.js';
import { eventPages } from './run-data.js';

/** What `wfstore runs --idle` asks for. */
export interface IdleQuery {
  /** At least this long without an update or an event. */
  idleMs: number;
  workflow?: string | undefined;
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
  /** At most this many idle runs shown. */
  limit: number;
  /** Running runs asked for per listing (default 500). */
  pageSize?: number | undefined;
}

/** A running run that has been idle at least as long as asked. */
export interface IdleRun {
  run: WorkflowRun;
  /** Its last event, or null for an empty log. */
  last_event: Pick<WorkflowEvent, 'sequence' | 'event_type' | 'timestamp'> | null;
  /** The later of updated_at and the last event's timestamp. */
  last_activity: string;
  /** Milliseconds from the last activity to the moment the command looked. */
  idle_ms: number;
}

export interface IdleReport {
  /** The idle runs shown: oldest activity first (then by id), at most the limit. */
  idle: IdleRun[];
  /** Idle runs beyond the limit, not shown. */
  more: number;
  /** Running runs looked at, and the logs read (of those whose updated_at was old enough). */
  running: number;
  logsRead: number;
}

/** Running runs listed a page at a time. */
const RUNS_PAGE = 500;
const RUNNING: RunStatus = 'running';

/** Every running run, a page at a time (keyset paging since 1.2; one listing before it). */
async function* runningRuns(
  store: IWorkflowStore,
  query: IdleQuery,
  contract: ContractVersion,
): AsyncGenerator<WorkflowRun[]> {
  const filters = { status: RUNNING, workflow_name: query.workflow };
  if (!atLeast(contract, '1.2')) {
    if (query.createdAfter !== undefined || query.createdBefore !== undefined)
      throw new UsageError(`--created-after, --created-before: the store declares contract ${contract}; they need 1.2`);
    yield await store.listWorkflowRuns(filters);
    return;
  }
  const bounds = { created_after: query.createdAfter, created_before: query.createdBefore };
  let after: WorkflowRun | undefined;
  for (;;) {
    const position = after && { created_at: after.created_at, id: after.id };
    const page = await store.listWorkflowRuns({
      ...filters,
      ...bounds,
      order: 'asc',
      limit: RUNS_PAGE,
      after: position,
    });
    if (page.length > 0) yield page;
    if (page.length < RUNS_PAGE) return;
    after = page.at(-1);
  }
}

/** The last event of a run's log: every page is read, the log having no other way to its end. */
async function lastEvent(store: IWorkflowStore, runId: string): Promise<WorkflowEvent | undefined> {
  let last: WorkflowEvent | undefined;
  for await (const page of eventPages(store, runId)) last = page.at(-1);
  return last;
}

/** The running runs idle for at least `query.idleMs` at `now`. */
export async function idleRuns(
  store: IWorkflowStore,
  query: IdleQuery,
  contract: ContractVersion,
  now: number = Date.now(),
): Promise<IdleReport> {
  const found: IdleRun[] = [];
  let running = 0;
  let logsRead = 0;
  for await (const page of runningRuns(store, query, contract)) {
    for (const run of page) {
      running++;
      if (now - Date.parse(run.updated_at) < query.idleMs) continue;
      logsRead++;
      const event = await lastEvent(store, run.id);
      const last_activity =
        event !== undefined && Date.parse(event.timestamp) > Date.parse(run.updated_at)
          ? event.timestamp
          : run.updated_at;
      const idle_ms = now - Date.parse(last_activity);
      if (idle_ms < query.idleMs) continue;
      const last_event =
        event === undefined
          ? null
          : { sequence: event.sequence, event_type: event.event_type, timestamp: event.timestamp };
      found.push({ run, last_event, last_activity, idle_ms });
    }
  }
  found.sort((a, b) => b.idle_ms - a.idle_ms || (a.run.id < b.run.id ? -1 : a.run.id > b.run.id ? 1 : 0));
  return { idle: found.slice(0, query.limit), more: Math.max(0, found.length - query.limit), running, logsRead };
}

/** A duration as people read it: its largest unit and the next one ("2h 5m", "3d", "45s"). */
export function formatDuration(ms: number): string {
  const sizes = [86_400_000, 3_600_000, 60_000, 1000];
  const names = ['d', 'h', 'm', 's'];
  let rest = Math.max(0, Math.floor(ms));
  const counts = sizes.map((size) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return n;
  });
  const first = counts.findIndex((n) => n > 0);
  if (first < 0) return '0s';
  const shown = [first, first + 1].filter((i) => i < counts.length && counts[i]! > 0);
  return shown.map((i) => `${counts[i]}${names[i]}`).join(' ');
}

/** `90s`, `10m`, `2h`, `1d`, or several (`1h30m`), in milliseconds; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (!/^(\d+[smhd])+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNITS[unit!]!;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

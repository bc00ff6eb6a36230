// `wfstore cancel <store> <run>` and `wfstore fail <store> <run> --reason <text>`: an operator ends a run by
// hand. The run is read, then moved by compare-and-set on the status seen (WF-CAS-1), its event
// (`workflow_cancelled`, `workflow_failed`) committed with the update (WF-UPD-4): a run that moved meanwhile is
// left as it is, and the log never says a run was cancelled that was not.

import type { Command } from 'commander';
import pc from 'picocolors';
import { isWorkflowStoreError } from '../contract/errors.js';
import { TRANSITIONS } from '../contract/transitions.js';
import { type IWorkflowStore, RUN_STATUSES, type RunStatus } from '../contract/types.js';
import { atLeast } from '../contract/versions.js';
import type { StoreOpener } from '../transfer/opener.js';
import { eventPages } from '../transfer/run-data.js';
import { UsageError } from '../usage-error.js';
import { INITIALIZER_FORM, STORE_OPTION, storeOpener } from './store-option.js';
import { storeForms } from '../backends/store-url.js';

/** Who the events' payloads name as having ended the run. */
export const STOPPED_BY = 'wfstore cli';

export interface StopRequest {
  runId: string;
  to: 'cancelled' | 'failed';
  reason?: string | undefined;
  /** The status the operator saw: the run must still be in it. */
  expectStatus?: RunStatus | undefined;
}

export interface StopOutcome {
  from: RunStatus;
  to: RunStatus;
  /** The sequence of the event committed with the update. */
  sequence: number | undefined;
  eventType: string;
}

const EVENT_TYPES = { cancelled: 'workflow_cancelled', failed: 'workflow_failed' } as const;

/** The last sequence of a run's log (0 when empty): the event written next is found after it. */
async function lastSequence(store: IWorkflowStore, runId: string): Promise<number> {
  let last = 0;
  for await (const page of eventPages(store, runId)) last = page.at(-1)?.sequence ?? last;
  return last;
}

/** Refused before writing: the run is not where this request can take it from. */
function refuseFrom(runId: string, seen: RunStatus, request: StopRequest): void {
  if (request.expectStatus !== undefined && request.expectStatus !== seen)
    throw new Error(
      `run "${runId}": --expect-status ${request.expectStatus}, but the run is "${seen}"; nothing was changed`,
    );
  if (seen === request.to) throw new Error(`run "${runId}" is already "${seen}"; nothing was changed`);
  const allowed = TRANSITIONS[seen];
  if (!allowed.includes(request.to)) {
    const why = allowed.length === 0 ? `"${seen}" is final` : `"${seen}" may become ${allowed.join(', ')}`;
    throw new Error(`run "${runId}": "${seen}" → "${request.to}" is not allowed (${why}); nothing was changed`);
  }
}

/** The store's refusal of the update, as one line naming the run and both statuses. */
async function refusal(store: IWorkflowStore, error: unknown, runId: string, seen: RunStatus, to: RunStatus) {
  if (isWorkflowStoreError(error, 'STATUS_CONFLICT')) {
    const now = (await store.getWorkflowRun(runId))?.status ?? error.actual ?? 'gone';
    return new Error(
      `run "${runId}" moved meanwhile: it was "${seen}" when read and is "${now}" now; nothing was changed ` +
        '(look again, then retry)',
    );
  }
  if (isWorkflowStoreError(error, 'INVALID_TRANSITION'))
    return new Error(`run "${runId}": the store refused "${seen}" → "${to}": ${error.message}`);
  if (isWorkflowStoreError(error, 'RUN_NOT_FOUND'))
    return new Error(`run "${runId}" was deleted meanwhile; nothing was changed`);
  return error;
}

/** Reads the run, then moves it from the status seen, with its event, in one compare-and-set. */
export async function stopRun(store: IWorkflowStore, display: string, request: StopRequest): Promise<StopOutcome> {
  const { runId, to } = request;
  const run = await store.getWorkflowRun(runId);
  if (run === null) throw new Error(`no run "${runId}" in ${display}`);
  refuseFrom(runId, run.status, request);
  const before = await lastSequence(store, runId);
  const eventType = EVENT_TYPES[to];
  const payload = { ...(request.reason === undefined ? {} : { reason: request.reason }), by: STOPPED_BY };
  try {
    await store.updateWorkflowRun(
      runId,
      { status: to },
      { expected_status: run.status, event: { event_type: eventType, payload } },
    );
  } catch (error) {
    throw await refusal(store, error, runId, run.status, to);
  }
  // Others may append after it (an engine not yet told); the first of its type after the log's old end is ours.
  const after = await store.listWorkflowEvents(runId, { after_sequence: before, limit: 1000 });
  const sequence = after.find((e) => e.event_type === eventType && e.payload.by === STOPPED_BY)?.sequence;
  return { from: run.status, to, sequence, eventType };
}

interface StopCliOptions {
  reason?: string;
  expectStatus?: string;
  store?: string;
}

async function stopCommand(to: StopRequest['to'], storeArg: string, runId: string, options: StopCliOptions) {
  const expectStatus = options.expectStatus;
  if (expectStatus !== undefined && !(RUN_STATUSES as readonly string[]).includes(expectStatus))
    throw new UsageError(`--expect-status: "${expectStatus}" is not a status (${RUN_STATUSES.join(', ')})`);
  const opener: StoreOpener = await storeOpener(options.store);
  const contract = opener.contract(storeArg);
  if (!atLeast(contract, '1.1'))
    throw new UsageError(`the store declares contract ${contract}; an update with its event needs 1.1`);
  const display = opener.display(storeArg);
  const store = await opener.openExisting(storeArg);
  try {
    const request = { runId, to, reason: options.reason, expectStatus: expectStatus as RunStatus | undefined };
    const done = await stopRun(store, display, request);
    const event = done.sequence === undefined ? done.eventType : `#${done.sequence} ${done.eventType}`;
    console.log(pc.green(`run "${runId}": ${done.from} → ${done.to}, event ${event}, in ${display}`));
  } finally {
    await store.close();
  }
}

const STORE = `a store location: ${storeForms()}, or ${INITIALIZER_FORM} (must exist)`;
const EXIT =
  '\nExit status: 0 when the run was moved; 1 when it was not (an unknown run, a run that moved meanwhile, ' +
  'a move the contract does not allow); 2 on a usage error.';

export function addStopCommands(program: Command): void {
  const common = (command: Command) =>
    command
      .argument('<store>', STORE)
      .argument('<run>', 'the run id')
      .option('--expect-status <status>', 'the status you saw: refused unless the run is still in it')
      .option(...STORE_OPTION)
      .addHelpText('after', EXIT);
  common(
    program
      .command('cancel')
      .description(
        'Cancel a run by hand: read it, then move it to "cancelled" only if it is still in the status read ' +
          '(compare-and-set), with a workflow_cancelled event { reason, by: "wfstore cli" } in the same commit.',
      )
      .option('--reason <text>', 'why (in the event payload)'),
  ).action((store: string, run: string, options: StopCliOptions) => stopCommand('cancelled', store, run, options));
  common(
    program
      .command('fail')
      .description(
        'Mark a run failed by hand: read it, then move it to "failed" only if it is still in the status read ' +
          '(compare-and-set), with a workflow_failed event { reason, by: "wfstore cli" } in the same commit. ' +
          'A failed run may be resumed (failed → running is its only move), so it cannot be cancelled ' +
          'afterwards: to end a run for good, use cancel.',
      )
      .requiredOption('--reason <text>', '(required) why (in the event payload)'),
  ).action((store: string, run: string, options: StopCliOptions) => stopCommand('failed', store, run, options));
}

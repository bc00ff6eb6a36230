// The command line of moving and looking: wfstore copy, export, import, runs, events, outputs.

import { type Command, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { storeForms } from '../backends/store-url.js';
import { INITIALIZER_FORM, STORE_OPTION, storeOpener } from './store-option.js';
import type { StoreOpener } from '../transfer/opener.js';
import { RUN_STATUSES, type RunPosition, type RunStatus } from '../contract/types.js';
import { validateId, validateTimestamp } from '../contract/validation.js';
import { UsageError } from '../usage-error.js';
import {
  idleSummary,
  RUNS_PAGE_SIZE,
  type RunsQuery,
  showEvents,
  showIdleRuns,
  showOutputs,
  showRuns,
} from '../transfer/look.js';
import { parseDuration } from '../transfer/idle.js';
import { copyRuns, exportRuns, importRuns, type RunFilter, type TransferTotals } from '../transfer/transfer.js';

const STORE = `a store location: ${storeForms()}, or ${INITIALIZER_FORM}`;

interface FilterOptions {
  run?: string[];
  status?: string;
  workflow?: string;
}

function statusOf(status: string | undefined): RunStatus | undefined {
  if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status: "${status}" is not a status (${RUN_STATUSES.join(', ')})`);
  }
  return status as RunStatus | undefined;
}

function filterOf(options: FilterOptions): RunFilter {
  const runIds = options.run?.length ? options.run : undefined;
  return { runIds, status: statusOf(options.status), workflow: options.workflow };
}

/** --run repeated, one id each: a list would also swallow the arguments after it. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

function withFilters(command: Command): Command {
  return command
    .option('--run <id>', 'only this run (repeat for more)', collect)
    .option('--status <status>', `only runs in this status (${RUN_STATUSES.join(', ')})`)
    .option('--workflow <name>', 'only runs of this workflow');
}

function printTotals(verb: string, sum: TransferTotals): boolean {
  const rate = sum.seconds > 0 ? Math.round(sum.events / sum.seconds) : sum.events;
  console.log(
    `${verb}: ${sum.runs} run(s) with ${sum.events} event(s) read in ${sum.seconds.toFixed(1)} s ` +
      `(${rate} events/s): ${sum.copied} written (${sum.replaced} of them replacing a run), ` +
      `${sum.skipped} already there and identical, ${sum.conflicts.length} conflict(s)`,
  );
  for (const id of sum.conflicts) {
    console.log(
      pc.yellow(
        `  conflict: run "${id}" is in the target with other content (run, events or outputs); ` +
          'left untouched (--replace to overwrite)',
      ),
    );
  }
  for (const id of sum.mismatches) console.log(pc.red(`  ✖ run "${id}" does not read back equal to the source`));
  if (sum.mismatches.length === 0 && sum.copied > 0)
    console.log(pc.green(`  ✔ every run written reads back equal (events, last sequence, digest)`));
  return sum.conflicts.length === 0 && sum.mismatches.length === 0;
}

/** A target whose data lives only in this process is gone when the command ends: say so, not let a copy look kept. */
function noteTransientTarget(to: string, opener: StoreOpener): void {
  if (opener.transient(to)) {
    const display = opener.display(to);
    console.log(pc.yellow(`  note: ${display} lives in this process only; what was written is gone when it ends`));
  }
}

/** Options of every command that takes stores. */
interface StoreOptions {
  store?: string;
}

const EXIT_STATUS =
  '\nExit status: 0 when every run is in the target and reads back equal; 1 on a conflict or a mismatch; ' +
  '2 on a usage error.';

function addCopy(program: Command): void {
  withFilters(
    program
      .command('copy')
      .description(
        'Copy runs, with their events, timestamps and outputs exactly, from one store to another; rerun to resume.',
      )
      .argument('<from>', `${STORE} (must exist)`)
      .argument('<to>', `${STORE} (created if new)`),
  )
    .option('--replace', 'overwrite a run that is in the target with other content (default: report it, leave it)')
    .option(...STORE_OPTION)
    .addHelpText('after', EXIT_STATUS)
    .action(async (from: string, to: string, options: FilterOptions & StoreOptions & { replace?: boolean }) => {
      const opener = await storeOpener(options.store);
      const ok = printTotals('copy', await copyRuns(from, to, filterOf(options), options.replace === true, opener));
      noteTransientTarget(to, opener);
      process.exitCode = ok ? 0 : 1;
    });
}

function addExportImport(program: Command): void {
  withFilters(
    program
      .command('export')
      .description('Write runs to an archive (docs/archive-format.md): NDJSON, gzipped when the file ends in .gz.')
      .argument('<from>', `${STORE} (must exist)`)
      .argument('[file]', 'the archive file; standard output when absent'),
  )
    .option(...STORE_OPTION)
    .action(async (from: string, file: string | undefined, options: FilterOptions & StoreOptions) => {
      const sum = await exportRuns(from, file, filterOf(options), await storeOpener(options.store));
      // On stdout the archive itself is the output; the totals go to the terminal only when there is a file.
      if (file !== undefined)
        console.log(
          `export: ${sum.runs} run(s), ${sum.events} event(s) written to ${file} in ${sum.seconds.toFixed(1)} s`,
        );
    });

  program
    .command('import')
    .description(
      'Read an archive into a store, each run whole or not at all; a damaged archive stops at its first bad line.',
    )
    .argument('<to>', `${STORE} (created if new)`)
    .argument('[file]', 'the archive file (.gz read as gzip); standard input when absent')
    .option('--replace', 'overwrite a run that is in the target with other content')
    .option(...STORE_OPTION)
    .addHelpText('after', EXIT_STATUS)
    .action(async (to: string, file: string | undefined, options: StoreOptions & { replace?: boolean }) => {
      const opener = await storeOpener(options.store);
      const ok = printTotals('import', await importRuns(to, file, options.replace === true, opener));
      noteTransientTarget(to, opener);
      process.exitCode = ok ? 0 : 1;
    });
}

const count = (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer of at least 0');
  return n;
};

type LookOptions = StoreOptions & { json?: boolean };

interface RunsOptions extends LookOptions {
  status?: string;
  workflow?: string;
  limit?: number;
  order?: 'asc' | 'desc';
  after?: RunPosition;
  createdAfter?: string;
  createdBefore?: string;
  idle?: number;
}

const duration = (value: string) => {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('must be a duration above 0: 90s, 10m, 2h, 1d, or 1h30m');
  return ms;
};

const RUNS_HELP = `
Paging: a page that has more runs after it ends with the command for the next one, e.g.
  next page: wfstore runs <store> --limit 20 --after 2026-03-01T09:30:00.000Z,run-1234
--after takes the created_at and id of the last run shown: each run is listed once whatever is created or
deleted between pages. A store of a version before 1.2 (through --store) lists oldest first, one page.

--idle <duration>: the runs in status running with neither an update (updated_at, which an engine's heartbeat
moves) nor an event for at least that long, by this machine's clock; oldest activity first, each with its
last activity and how long ago. All running runs are listed; the logs of those whose updated_at is old
enough are read to their end. Combines with --workflow, --created-after, --created-before, --limit, --json.`;

/** `runs --idle`: the running runs that have done nothing for a while, oldest activity first. */
async function idleCommand(store: string, options: RunsOptions & { idle: number }): Promise<void> {
  const clash = [
    options.status !== undefined && options.status !== 'running' && `--status ${options.status}`,
    options.order !== undefined && '--order',
    options.after !== undefined && '--after',
  ].filter(Boolean);
  if (clash.length > 0)
    throw new UsageError(`--idle lists running runs, oldest activity first: it takes no ${clash.join(', ')}`);
  const json = options.json === true;
  const query = {
    idleMs: options.idle,
    workflow: options.workflow,
    createdAfter: options.createdAfter,
    createdBefore: options.createdBefore,
    limit: options.limit ?? RUNS_PAGE_SIZE,
  };
  const report = await showIdleRuns(store, query, json, console.log, await storeOpener(options.store));
  (json ? console.error : console.log)(idleSummary(report, options.idle));
}

/** The contract's own check of a timestamp or an id, as a usage error of the option. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^.*?: /, ''));
  }
}

const timestamp = (value: string) => checked(() => validateTimestamp(value, 'timestamp'));

/** `<created_at>,<id>`: neither holds a comma. */
function position(value: string): RunPosition {
  const comma = value.indexOf(',');
  if (comma < 0) throw new InvalidArgumentError('must be <created_at>,<id>: the last run of the previous page');
  return {
    created_at: timestamp(value.slice(0, comma)),
    id: checked(() => validateId(value.slice(comma + 1), 'id')),
  };
}

function runsQuery(options: RunsOptions): RunsQuery {
  return {
    status: statusOf(options.status),
    workflow: options.workflow,
    limit: options.limit ?? RUNS_PAGE_SIZE,
    order: options.order,
    after: options.after,
    createdAfter: options.createdAfter,
    createdBefore: options.createdBefore,
  };
}

/** An argument as a shell reads it back: plain when safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_/.:,=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The same command with the next page's --after (a password in the store URL shown as ***). */
function nextPageCommand(store: string, options: RunsOptions, next: RunPosition): string {
  const words = ['wfstore', 'runs', store];
  const add = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) words.push(flag, String(value));
  };
  add('--status', options.status);
  add('--workflow', options.workflow);
  add('--limit', options.limit);
  add('--order', options.order);
  add('--created-after', options.createdAfter);
  add('--created-before', options.createdBefore);
  if (options.json === true) words.push('--json');
  add('--store', options.store);
  add('--after', `${next.created_at},${next.id}`);
  return words.map(shellWord).join(' ');
}

function addRuns(program: Command): void {
  program
    .command('runs')
    .description(
      `List the runs of a store as a table, newest first, ${RUNS_PAGE_SIZE} a page; the last line of a page that ` +
        'has more after it is the command for the next page (--after). --json for scripts.',
    )
    .argument('<store>', `${STORE} (must exist)`)
    .option('--status <status>', 'only runs in this status')
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--limit <n>', `at most n runs a page (default ${RUNS_PAGE_SIZE})`, count)
    .addOption(
      new Option('--order <order>', 'desc: newest first (the default); asc: oldest first').choices(['asc', 'desc']),
    )
    .option(
      '--after <created_at,id>',
      "only the runs after this one in the order: the previous page's last run, as its next-page line gives it",
      position,
    )
    .option('--created-after <timestamp>', 'only runs created strictly after (ISO 8601 UTC, with ms)', timestamp)
    .option('--created-before <timestamp>', 'only runs created strictly before (ISO 8601 UTC, with ms)', timestamp)
    .option(
      '--idle <duration>',
      'only running runs without an update or an event for at least this long (90s, 10m, 2h, 1d), ' +
        'oldest activity first',
      duration,
    )
    .option('--json', 'the page as a JSON array (the next-page line goes to stderr)')
    .option(...STORE_OPTION)
    .addHelpText('after', RUNS_HELP)
    .action(async (store: string, options: RunsOptions) => {
      if (options.idle !== undefined) return idleCommand(store, { ...options, idle: options.idle });
      const query = runsQuery(options);
      const json = options.json === true;
      const opener = await storeOpener(options.store);
      const page = await showRuns(store, query, json, console.log, opener);
      const say = json ? console.error : console.log;
      if (page.next !== undefined) say(`next page: ${nextPageCommand(opener.display(store), options, page.next)}`);
      else if (page.more && query.limit > 0)
        say(
          `more runs follow: the store declares contract ${opener.contract(store)}, which lists oldest first ` +
            'and cannot page; raise --limit',
        );
    });
}

function addLook(program: Command): void {
  addRuns(program);
  program
    .command('events')
    .description(
      "A run's events as a timeline, one line an event: its sequence, full timestamp (UTC), type and every " +
        'payload field as name=value, a value over 120 characters cut with …(+N chars) (--json: one event per line).',
    )
    .argument('<store>', `${STORE} (must exist)`)
    .argument('<runId>', 'the run')
    .option('--json', 'one JSON event per line')
    .option(...STORE_OPTION)
    .action(async (store: string, runId: string, options: LookOptions) =>
      showEvents(store, runId, options.json === true, console.log, await storeOpener(options.store)),
    );

  program
    .command('outputs')
    .description("A run's completed node outputs (--json: one object).")
    .argument('<store>', `${STORE} (must exist)`)
    .argument('<runId>', 'the run')
    .option('--json', 'the outputs as one JSON object')
    .option(...STORE_OPTION)
    .action(async (store: string, runId: string, options: LookOptions) =>
      showOutputs(store, runId, options.json === true, console.log, await storeOpener(options.store)),
    );
}

export function addTransferCommands(program: Command): void {
  addCopy(program);
  addExportImport(program);
  addLook(program);
}

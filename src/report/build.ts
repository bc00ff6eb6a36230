// The report, built once: what a run (or a merge of shards) found, with the expectations file and the
// baseline applied, counted, and judged. Every renderer (HTML, JUnit, terminal, GitHub) and summary.json
// take what this builds; none of them reads a file of its own or decides a verdict.
//
//   findings ─▶ marks (expected, changed) ─▶ counts and success ─▶ verdicts ─▶ Report ─▶ renderers

import { loadBaseline, markChanges } from './baseline.js';
import { type Expectation, loadCheckedExpectations, markExpected } from './expectations.js';
import {
  type Cell,
  type Change,
  type ColumnFindings,
  type ColumnSummary,
  type ConformanceSummary,
  type Findings,
  type RequirementSummary,
  type Shown,
  DID_NOT_RUN,
  headlineOf,
  shownStatus,
} from './summary.js';
import { countCells, requirementShown, ruleShown } from './verdicts.js';
import { compareVersions, type Rule } from '../conformance/clauses.js';

/** The expectations file and the baseline a report is compared with, each read and checked once. */
export interface Comparisons {
  expectations?: { file: string; entries: readonly Expectation[] } | undefined;
  baseline?: { file: string; summary: ConformanceSummary } | undefined;
}

/**
 * Reads `--expect` and `--baseline` for a report on these columns: before a run, so a mistake stops it
 * before anything runs; for a merge (`merged`: every shard's backend is a column).
 */
export async function loadComparisons(
  options: { expect?: string | undefined; baseline?: string | undefined },
  columns: readonly string[],
  merged = false,
): Promise<Comparisons> {
  return {
    expectations:
      options.expect === undefined
        ? undefined
        : { file: options.expect, entries: await loadCheckedExpectations(options.expect, columns, merged) },
    baseline:
      options.baseline === undefined
        ? undefined
        : { file: options.baseline, summary: await loadBaseline(options.baseline) },
  };
}

/** A report read back from its summary.json, or the report directory holding it (`report expect` reads one). */
export async function readReport(file: string, option: string): Promise<Report> {
  return reportOf(await loadBaseline(file, option));
}

/** A requirement on one column: its verdict, and how many of its applicable scenarios passed. */
export interface RequirementVerdict {
  verdict: Shown;
  passed: number;
  applicable: number;
  /** No applicable scenario ran: the column's run stopped before them. */
  notRun: boolean;
}

/** A column: its verdict, and its scenarios passed and failed as judged (with --strict, amber fails). */
export interface ColumnVerdict {
  verdict: Shown;
  passed: number;
  failed: number;
}

/** A cell that changed since the baseline. */
export interface CellChange {
  change: Change;
  column: string;
  scenario: string;
}

/** What the renderers show: the summary (as summary.json holds it) and the verdicts on it. */
export interface Report {
  summary: ConformanceSummary;
  /** Requirement id → column → verdict. */
  requirements: Record<string, Record<string, RequirementVerdict>>;
  /** Rule id → column → verdict. */
  rules: Record<string, Record<string, Shown>>;
  columns: Record<string, ColumnVerdict>;
  changes: CellChange[];
  /** The run's verdict: failed, or passed with (warned) or without a SHOULD rule not followed. */
  verdict: 'passed' | 'warned' | 'failed';
  /** The run's scenarios passed and failed as judged: with --strict amber fails; an expectation to remove fails. */
  passed: number;
  failed: number;
  /** For each column judged by a version older than the latest: what moving to the latest takes. */
  upgrades: Upgrade[];
  /** What the report's cells and verdicts show, as judged: the legends explain these and no others. */
  shown: Shown[];
}

/** How a later scenario went on a column: it ran and would pass or fail, or it did not run (skipped). */
export type Would = 'pass' | 'warn' | 'fail' | 'not-run';

/** A rule later than a column's version, with the scenarios that check it and how they went there. */
export interface UpgradeRule {
  id: string;
  level: Rule['level'];
  since: Rule['since'];
  /** Fail when any of its scenarios would fail, else warn when one would not follow a SHOULD rule, else pass. */
  would: Would;
  scenarios: { key: string; name: string; uri: string; line: number; would: Would; message?: string | undefined }[];
}

/** "Upgrade to X" for one column: the rules after its version, up to the latest. */
export interface Upgrade {
  column: string;
  from: Rule['since'];
  to: Rule['since'];
  /** The version the column was judged by: from it on, the rules' scenarios counted. */
  judged: Rule['since'];
  rules: UpgradeRule[];
}

/** The one way a report is made: marks, counts, verdicts. The findings are left as they were. */
export function buildReport(findings: Findings, comparisons: Comparisons = {}): Report {
  const requirements = copyRequirements(findings.requirements);
  const scenarios = requirements.flatMap((r) => r.scenarios);
  const names = findings.columns.map((c) => c.name);
  // Without a comparison of its own a merge keeps what its shards were compared with; with one, it is replaced.
  let stale = findings.staleExpectations ?? [];
  const { expectations, baseline } = comparisons;
  if (expectations !== undefined) stale = markExpected(scenarios, new Set(names), expectations.entries);
  if (baseline !== undefined) markChanges(scenarios, baseline.summary);
  const columns = findings.columns.map((c) => counted(c, cellsOf(requirements, c.name)));
  const total = (key: 'passed' | 'failed' | 'warned' | 'skipped' | 'expectedFailures') =>
    columns.reduce((n, c) => n + c[key], 0);
  // A column whose run failed outside its scenarios is a run error, counted apart from the scenarios.
  const failed = total('failed');
  const errors = columns.filter((c) => c.error).length;
  const warned = total('warned');
  return reportOf({
    suite: findings.suite,
    contract: findings.contract,
    versions: findings.versions,
    provisioning: findings.provisioning,
    startedAt: findings.startedAt,
    durationMs: findings.durationMs,
    interrupted: findings.interrupted,
    strict: findings.strict,
    columns,
    requirements,
    rules: findings.rules,
    passed: total('passed'),
    failed,
    warned,
    skipped: total('skipped'),
    expectedFailures: total('expectedFailures'),
    staleExpectations: stale,
    success:
      failed === 0 && errors === 0 && stale.length === 0 && !findings.interrupted && (!findings.strict || warned === 0),
    expectations: expectations?.file ?? findings.expectations,
    baseline: baseline?.file ?? findings.baseline,
  });
}

/**
 * The verdicts of a summary already built (by buildReport, or read back from a summary.json). With --strict
 * a SHOULD rule not followed is judged a failure, in every verdict as in the exit status.
 */
export function reportOf(summary: ConformanceSummary): Report {
  const names = summary.columns.map((c) => c.name);
  const judged = (cell: Cell): Cell =>
    summary.strict && cell.status === 'warned' ? { ...cell, status: 'failed' } : cell;
  const strictly = (verdict: Shown): Shown => (summary.strict && verdict === 'warned' ? 'failed' : verdict);
  const scenarios = summary.requirements.flatMap((r) => r.scenarios);
  const stale = summary.staleExpectations.length;
  const requirements = Object.fromEntries(
    summary.requirements.map((r) => [
      r.id,
      Object.fromEntries(names.map((c) => [c, requirementVerdict(r.scenarios.map((s) => judged(s.cells[c]!)))])),
    ]),
  );
  const shown = new Set<Shown>([
    ...scenarios.flatMap((s) => names.map((c) => shownStatus(judged(s.cells[c]!)))),
    ...Object.values(requirements).flatMap((byColumn) => Object.values(byColumn).map((v) => v.verdict)),
  ]);
  return {
    summary,
    requirements,
    rules: Object.fromEntries(
      summary.rules.map((rule) => [
        rule.id,
        Object.fromEntries(names.map((c) => [c, strictly(ruleShown(rule, scenarios, c))])),
      ]),
    ),
    columns: Object.fromEntries(summary.columns.map((c) => [c.name, columnVerdict(summary, c)])),
    changes: scenarios.flatMap((s) =>
      Object.entries(s.cells)
        .filter(([, c]) => c.change !== undefined)
        .map(([column, c]) => ({ change: c.change!, column, scenario: s.name })),
    ),
    verdict: !summary.success ? 'failed' : summary.warned > 0 ? 'warned' : 'passed',
    passed: summary.passed + (summary.strict ? 0 : summary.warned),
    failed: summary.failed + (summary.strict ? summary.warned : 0) + stale,
    upgrades: summary.columns.flatMap((c) => upgradeOf(summary, c)),
    shown: [...shown],
  };
}

/**
 * The column's upgrade to the latest version, from the older of the version it declares and the one it was
 * judged by (`--contract 1.1` on a store declaring 1.0 shows what 1.1 adds, judged): each later rule that
 * some scenario checks on it.
 */
/** How a scenario went, whether it was judged (passed, failed) or ran after the version (would pass, fail). */
function wouldOf(cell: Cell): Would {
  if (cell.status === 'later' || cell.status === 'not-claimed') return cell.would ?? 'pass';
  if (cell.status === 'failed') return 'fail';
  if (cell.status === 'warned') return 'warn';
  return cell.status === 'passed' ? ((cell.recommendations?.length ?? 0) > 0 ? 'warn' : 'pass') : 'not-run';
}

function upgradeOf(summary: ConformanceSummary, column: ColumnSummary): Upgrade[] {
  const latest = summary.contract.latest;
  const { declared, judged } = column.contract;
  const from = declared !== null && compareVersions(declared, judged) < 0 ? declared : judged;
  if (compareVersions(from, latest) >= 0) return [];
  const scenarios = summary.requirements.flatMap((r) => r.scenarios);
  const rules = summary.rules
    .filter((rule) => compareVersions(rule.since, from) > 0 && rule.feature === undefined)
    .flatMap((rule): UpgradeRule[] => {
      const checking = scenarios
        .filter((s) => s.rules.includes(rule.id) && s.cells[column.name]?.status !== 'not-applicable')
        .map((s) => {
          const cell = s.cells[column.name]!;
          const would = wouldOf(cell);
          const message = would === 'fail' ? headlineOf(cell.message) : undefined;
          return { key: s.key, name: s.name, uri: s.uri, line: s.line, would, message };
        });
      if (checking.length === 0) return [];
      const would = (['fail', 'warn', 'pass'] as const).find((w) => checking.some((s) => s.would === w)) ?? 'not-run';
      return [{ id: rule.id, level: rule.level, since: rule.since, would, scenarios: checking }];
    });
  return [{ column: column.name, from, to: latest, judged, rules }];
}

function requirementVerdict(cells: readonly Cell[]): RequirementVerdict {
  const applicable = cells.filter((c) => c.status !== 'not-applicable');
  return {
    verdict: requirementShown(cells),
    passed: applicable.filter((c) => c.status === 'passed' || c.status === 'warned').length,
    applicable: applicable.length,
    notRun: applicable.length > 0 && applicable.every((c) => c.step === DID_NOT_RUN),
  };
}

function columnVerdict(summary: ConformanceSummary, c: ColumnSummary): ColumnVerdict {
  const [passed, failed] = summary.strict ? [c.passed, c.failed + c.warned] : [c.passed + c.warned, c.failed];
  const stale = summary.staleExpectations.some((s) => s.backend === c.name);
  const verdict: Shown =
    failed > 0 || stale || c.error
      ? 'failed'
      : c.expectedFailures > 0
        ? 'expected-failure'
        : c.warned > 0
          ? 'warned'
          : 'passed';
  return { verdict, passed, failed };
}

/** The requirements with cells of their own, for the marks. */
function copyRequirements(requirements: readonly RequirementSummary[]): RequirementSummary[] {
  return requirements.map((r) => ({
    ...r,
    scenarios: r.scenarios.map((s) => ({
      ...s,
      cells: Object.fromEntries(Object.entries(s.cells).map(([c, cell]) => [c, { ...cell }])),
    })),
  }));
}

function cellsOf(requirements: readonly RequirementSummary[], column: string): Cell[] {
  return requirements.flatMap((r) => r.scenarios.map((s) => s.cells[column]).filter((c): c is Cell => c !== undefined));
}

/** A column's counts, from its cells: an expected failure is counted apart, not as a failure. */
function counted(column: ColumnFindings, cells: readonly Cell[]): ColumnSummary {
  const counts = countCells(cells.filter((c) => c.expected === undefined || c.status !== 'failed'));
  return {
    name: column.name,
    kind: column.kind,
    passed: counts.passed,
    failed: counts.failed,
    warned: counts.warned,
    skipped: counts.skipped,
    notApplicable: counts['not-applicable'],
    expectedFailures: cells.filter((c) => c.expected !== undefined && c.status === 'failed').length,
    later: counts.later,
    notClaimed: counts['not-claimed'],
    contract: column.contract,
    durationMs: column.durationMs,
    error: column.error,
    reports: column.reports,
  };
}

// The facts of one conformance run, for summary.json, the terminal table and index.html.

import type { Recommendation } from '../conformance/recommendation.js';
import type { CellStatus, ScenarioResult } from '../conformance/results.js';
import { levelOf, type Rule, type RuleLevel } from '../conformance/clauses.js';
import type { ScenarioRow } from '../conformance/scenarios.js';

/** The step named in a cell whose scenario never ran because the whole run stopped. */
export const DID_NOT_RUN = 'the run stopped before this scenario';

export interface Cell {
  status: CellStatus;
  /** Failed: the step or hook that failed. */
  step?: string | undefined;
  /** Failed: the error; skipped or not applicable: why. */
  message?: string | undefined;
  /** Warned: the SHOULD rules not followed, and what the store did instead. */
  recommendations?: Recommendation[] | undefined;
  durationMs?: number | undefined;
  /** A failure the expectations file lists, with its reason: not counted as a failure. */
  expected?: string | undefined;
  /** Against a baseline summary: what changed in this cell. */
  change?: 'newly-failing' | 'newly-passing' | 'newly-applicable' | undefined;
}

export interface ColumnSummary {
  name: string;
  kind: 'reference' | 'store';
  passed: number;
  failed: number;
  /** Scenarios whose MUST rules held but where a SHOULD rule was not followed. */
  warned: number;
  skipped: number;
  notApplicable: number;
  /** Failures the expectations file lists (not in `failed`). */
  expectedFailures: number;
  durationMs: number;
  /** A failure of the run outside any scenario (a crash, a BeforeAll or AfterAll hook). */
  error?: string | undefined;
  /** Report files, relative to the report directory. */
  reports: { html: string; messages: string; junit: string; stderr: string };
}

export interface ScenarioSummary {
  key: string;
  name: string;
  uri: string;
  line: number;
  tags: string[];
  /** The contract rules it checks, and its level (MUST when any of them is). */
  rules: string[];
  level: RuleLevel;
  cells: Record<string, Cell>;
}

export interface RequirementSummary {
  id: string;
  feature: string;
  scenarios: ScenarioSummary[];
}

/** An entry of the expectations file whose cells did not fail: the list is out of date. */
export interface StaleExpectation {
  entry: string;
  backend: string;
  reason: string;
}

export interface ConformanceSummary {
  /** What produced this summary: a merge refuses shards of another wfstore version or feature set. */
  suite: { wfstore: string; features: string };
  /** Versions of what the run used: a database version only when that database was used. */
  /** What the run used, by name for people: wfstore, Node.js, and each database engine (SQLite, a server). */
  versions: { wfstore: string; 'Node.js': string } & Record<string, string>;
  /** How the PostgreSQL column got its server, when there is one. */
  /** The servers the harness provisioned for the run: what, which way (a URL, Docker, embedded), and why. */
  provisioning: Provisioning[];
  startedAt: string;
  durationMs: number;
  /** True when the run was stopped (Ctrl-C, SIGTERM) before every scenario ran. */
  interrupted: boolean;
  /** With strict, a SHOULD rule not followed fails the run too. */
  strict: boolean;
  columns: ColumnSummary[];
  requirements: RequirementSummary[];
  /** The contract's rules the scenarios name, with level and text (from docs/contract.md). */
  rules: Rule[];
  /** Scenario × column results; not-applicable cells are not counted, skipped ones only as skipped. */
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  /** Failures listed in the expectations file (not in `failed`). */
  expectedFailures: number;
  /** Expectations whose cells passed: "remove this expectation"; each fails the run. */
  staleExpectations: StaleExpectation[];
  /** The expectations file and baseline summary this run was compared with, if any. */
  expectations?: string | undefined;
  baseline?: string | undefined;
  success: boolean;
}

/** Groups rows by requirement, in file order, with one cell per column. */
export function buildRequirements(
  rows: readonly ScenarioRow[],
  cellOf: (row: ScenarioRow, column: string) => Cell,
  columns: readonly string[],
  rules: ReadonlyMap<string, Rule>,
): RequirementSummary[] {
  const byId = new Map<string, RequirementSummary>();
  for (const row of rows) {
    let requirement = byId.get(row.requirement);
    if (requirement === undefined) {
      requirement = { id: row.requirement, feature: row.feature, scenarios: [] };
      byId.set(row.requirement, requirement);
    }
    const level = levelOf(row.rules, rules);
    requirement.scenarios.push({
      key: row.key,
      name: row.name,
      uri: row.uri,
      line: row.line,
      tags: row.tags,
      rules: row.rules,
      level,
      cells: Object.fromEntries(columns.map((c) => [c, levelled(cellOf(row, c), level, row.rules)])),
    });
  }
  return [...byId.values()];
}

export function cellFrom(result: ScenarioResult): Cell {
  return {
    status: result.status,
    step: result.step,
    message: result.message,
    recommendations: result.recommendations,
    durationMs: result.durationMs,
  };
}

/** A failed scenario whose rules are all SHOULD is a recommendation not followed, not a failure. */
function levelled(cell: Cell, level: RuleLevel, rules: readonly string[]): Cell {
  if (cell.status !== 'failed' || level !== 'SHOULD' || cell.step === DID_NOT_RUN) return cell;
  const message = `${cell.step ? `at "${cell.step}": ` : ''}${cell.message ?? 'failed'}`;
  const recommendations = [...(cell.recommendations ?? []), ...rules.map((rule) => ({ rule, message }))];
  return { ...cell, status: 'warned', recommendations };
}

/** The count of each status among a list of cells (not-applicable ones included). */
export function countCells(cells: readonly Cell[]): Record<CellStatus, number> {
  const counts: Record<CellStatus, number> = { passed: 0, failed: 0, warned: 0, skipped: 0, 'not-applicable': 0 };
  for (const cell of cells) counts[cell.status]++;
  return counts;
}

/**
 * A requirement's (or a rule's) verdict on one column: failed if any scenario failed, warned if any
 * warned, passed only when at least one scenario passed and none was skipped; skipped when they all were.
 */
export function verdictOf(cells: readonly Cell[]): CellStatus {
  const c = countCells(cells);
  const applicable = cells.length - c['not-applicable'];
  if (applicable === 0) return 'not-applicable';
  if (c.failed > 0) return 'failed';
  if (c.warned > 0) return 'warned';
  if (c.skipped === applicable) return 'skipped';
  return c.skipped > 0 ? 'skipped' : 'passed';
}

/**
 * A rule's verdict on one column. A MUST rule fails when a scenario checking it failed; an amber scenario
 * kept it (its miss was another, SHOULD, rule). A SHOULD rule is amber when any scenario reported it not
 * followed, whichever rules that scenario is tagged with.
 */
export function ruleVerdict(rule: Rule, scenarios: readonly ScenarioSummary[], column: string): CellStatus {
  const missed = scenarios.some((s) => s.cells[column]?.recommendations?.some((r) => r.rule === rule.id));
  const checking = scenarios.filter((s) => s.rules.includes(rule.id)).map((s) => s.cells[column]!);
  if (rule.level === 'SHOULD' && missed) return 'warned';
  const verdict = verdictOf(checking.map((c) => (c.status === 'warned' ? { ...c, status: 'passed' as const } : c)));
  return checking.length === 0 ? (missed ? 'warned' : 'not-applicable') : verdict;
}

/** What a cell or a verdict shows: a failure the expectations file lists is told apart from the others. */
export type Shown = CellStatus | 'expected-failure';

export const isExpectedFailure = (cell: Cell | undefined) => cell?.status === 'failed' && cell.expected !== undefined;

export const shownStatus = (cell: Cell): Shown => (isExpectedFailure(cell) ? 'expected-failure' : cell.status);

/** An expected failure left out of a verdict: it decides nothing there, and the verdict then says it is there. */
const hidden = (cell: Cell): Cell => (isExpectedFailure(cell) ? { status: 'not-applicable' } : cell);

function withExpected(verdict: CellStatus, cells: readonly (Cell | undefined)[]): Shown {
  return verdict !== 'failed' && cells.some(isExpectedFailure) ? 'expected-failure' : verdict;
}

/** A requirement's verdict on one column: failed only by failures not expected. */
export function requirementShown(cells: readonly Cell[]): Shown {
  return withExpected(verdictOf(cells.map(hidden)), cells);
}

/** A rule's verdict on one column: failed only by failures not expected. */
export function ruleShown(rule: Rule, scenarios: readonly ScenarioSummary[], column: string): Shown {
  const visible = scenarios.map((s) => ({ ...s, cells: { ...s.cells, [column]: hidden(s.cells[column]!) } }));
  const checking = scenarios.filter((s) => s.rules.includes(rule.id)).map((s) => s.cells[column]);
  return withExpected(ruleVerdict(rule, visible, column), checking);
}

export interface Provisioning {
  what: string;
  way: string;
  reason: string;
}

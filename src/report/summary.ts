// The facts of one conformance run (or of merged shards), as summary.json holds them: the types, and the
// cells built from the scenarios' results.

import type { Recommendation } from '../conformance/recommendation.js';
import type { CellStatus, ScenarioResult } from '../conformance/results.js';
import { levelOf, type Rule, type RuleLevel } from '../conformance/clauses.js';
import type { ScenarioRow } from '../conformance/scenarios.js';
import type { Standing } from '../conformance/judge.js';
import type { ContractVersion } from '../contract/versions.js';

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
  /** Later or not claimed: how the scenario went, which decides nothing (a SHOULD not followed passes). */
  would?: 'pass' | 'warn' | 'fail' | undefined;
  /** Later: the contract version of its rules. */
  after?: ContractVersion | undefined;
  /** A property scenario that failed: the seed it ran with (`report expect` keeps it, to replay it). */
  seed?: number | undefined;
}

/** What a column was judged by (docs/contract.md, "Versions"). */
export interface ColumnContract {
  /** The version the store declares; null when it declares none. */
  declared: ContractVersion | null;
  /** The version it was judged by. */
  judged: ContractVersion;
  /** The optional features it claims. */
  features: string[];
  /** The store's own name and version, as its initializer gives them. */
  about?: { name?: string | undefined; version?: string | undefined } | undefined;
}

/** How a cell changed since the baseline. */
export type Change = NonNullable<Cell['change']>;

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
  /** Scenarios later than its version, and of features it does not claim: run, not counted. */
  later: number;
  notClaimed: number;
  contract: ColumnContract;
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
  /** The latest contract version this wfstore knows (each column's own is in its `contract`). */
  contract: { latest: ContractVersion };
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

/** A column as a run found it, before the builder counts its cells. */
export type ColumnFindings = Omit<
  ColumnSummary,
  'passed' | 'failed' | 'warned' | 'skipped' | 'notApplicable' | 'expectedFailures' | 'later' | 'notClaimed'
>;

/**
 * What a run, or a merge of shards, found: the summary before expectations, a baseline and the counts are
 * applied (src/report/build.ts). A merge carries what its shards were compared with.
 */
export interface Findings
  extends Omit<
    ConformanceSummary,
    'columns' | 'passed' | 'failed' | 'warned' | 'skipped' | 'expectedFailures' | 'staleExpectations' | 'success'
  > {
  columns: ColumnFindings[];
  staleExpectations?: StaleExpectation[] | undefined;
}

/** Groups rows by requirement, in file order, with one cell per column. */
export function buildRequirements(
  rows: readonly ScenarioRow[],
  cellOf: (row: ScenarioRow, column: string) => Cell,
  columns: readonly string[],
  rules: ReadonlyMap<string, Rule>,
  /** How a cell stands on its column once levelled: later than its version, or of a feature not claimed. */
  judge: (row: ScenarioRow, column: string, cell: Cell) => Cell = (_row, _column, cell) => cell,
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
      cells: Object.fromEntries(columns.map((c) => [c, judge(row, c, levelled(cellOf(row, c), level, row.rules))])),
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
    ...(result.seed === undefined ? {} : { seed: result.seed }),
  };
}

/** A failed scenario whose rules are all SHOULD is a recommendation not followed, not a failure. */
function levelled(cell: Cell, level: RuleLevel, rules: readonly string[]): Cell {
  if (cell.status !== 'failed' || level !== 'SHOULD' || cell.step === DID_NOT_RUN) return cell;
  const message = `${cell.step ? `at "${cell.step}": ` : ''}${cell.message ?? 'failed'}`;
  const recommendations = [...(cell.recommendations ?? []), ...rules.map((rule) => ({ rule, message }))];
  return { ...cell, status: 'warned', recommendations };
}

/**
 * A cell as its column's judgement has it: a scenario that ran but is later than the version, or of a
 * feature not claimed, keeps what happened (would pass / would fail) and counts for nothing.
 */
export function standingCell(cell: Cell, standing: Standing): Cell {
  if (standing.kind === 'judged' || cell.status === 'not-applicable' || cell.step === DID_NOT_RUN) return cell;
  if (cell.status === 'skipped') return cell;
  const would = cell.status === 'failed' ? 'fail' : recommends(cell) ? 'warn' : 'pass';
  if (standing.kind === 'later') return { ...cell, status: 'later', would, after: standing.version };
  const message = `checks a feature the store does not claim (${standing.features.join(', ')})`;
  return { ...cell, status: 'not-claimed', would, message: cell.status === 'failed' ? cell.message : message };
}

/** A cell that passed every MUST rule but did not follow a SHOULD one. */
const recommends = (cell: Cell) => cell.status === 'warned' || (cell.recommendations?.length ?? 0) > 0;

/** How a scenario would go, as words: "pass", "pass, not following a SHOULD rule", "fail", "not run". */
export function wouldText(would: 'pass' | 'warn' | 'fail' | 'not-run'): string {
  return { pass: 'pass', warn: 'pass, not following a SHOULD rule', fail: 'fail', 'not-run': 'not run' }[would];
}

/** A column's contract as one short text: "1.0", "1.1 (assumed)", "1.1 (declares 1.0)", its features. */
export function contractText(contract: ColumnContract): string {
  const how =
    contract.declared === null
      ? ' (assumed)'
      : contract.declared !== contract.judged
        ? ` (declares ${contract.declared})`
        : '';
  const features = contract.features.length ? ` + ${contract.features.join(', ')}` : '';
  return `${contract.judged}${how}${features}`;
}

/** Node's own first lines of an assertion message, which say nothing of what failed. */
const GENERIC_LINE = new RegExp(
  [
    '^(Expected values to be (strictly |loosely )?(deep-)?equal:',
    '\\+ actual - expected',
    'The expression evaluated to a falsy value:',
    'Values identical but not reference-equal:)',
  ].join('|'),
);

/**
 * A failure's message in one line, for the places that show only one (JUnit's `message`, a GitHub summary,
 * progress lines): its first line that says something, node's generic "Expected values to be strictly
 * deep-equal:" skipped.
 */
export function headlineOf(message: string | undefined): string {
  const lines = (message ?? '').split('\n');
  if (GENERIC_LINE.test(lines[0] ?? '')) {
    // Node's own diff: what the store returned (actual, `+`) against what the contract expects (`-`).
    const plus = lines
      .find((l) => /^\+ (?!actual - expected)/.test(l))
      ?.slice(1)
      .trim();
    const minus = lines
      .find((l) => /^- /.test(l))
      ?.slice(1)
      .trim();
    const unequal = /^(.+) !== (.+)$/.exec(lines.find((l) => l.includes(' !== ')) ?? '');
    const [store, contract] = unequal ? [unequal[1], unequal[2]] : [plus, minus];
    if (store !== undefined || contract !== undefined) {
      return `the store returned ${store ?? '(no such line)'}, the contract expects ${contract ?? '(no such line)'}`;
    }
  }
  const trimmed = lines.map((line) => line.trim());
  return trimmed.find((line) => line !== '' && !GENERIC_LINE.test(line)) ?? trimmed[0] ?? '';
}

/** What failed, in one line: the step, and the first line of the message that says something. */
export function failureLine(cell: Pick<Cell, 'step' | 'message'>): string {
  const headline = headlineOf(cell.message);
  return cell.step ? `${cell.step}: ${headline}` : headline;
}

/** What a cell shows: a failure the expectations file lists is told apart from the others. */
export type Shown = CellStatus | 'expected-failure';

export const isExpectedFailure = (cell: Cell | undefined) => cell?.status === 'failed' && cell.expected !== undefined;

export const shownStatus = (cell: Cell): Shown => (isExpectedFailure(cell) ? 'expected-failure' : cell.status);

export interface Provisioning {
  what: string;
  way: string;
  reason: string;
}

// Verdicts: of a requirement or a rule on one column, from its scenarios' cells. Only the builder
// (build.ts) judges; the renderers show what it decided.

import type { CellStatus } from '../conformance/results.js';
import type { Rule } from '../conformance/clauses.js';
import { type Cell, isExpectedFailure, type ScenarioSummary, type Shown } from './summary.js';

/** The count of each status among a list of cells (not-applicable ones included). */
export function countCells(cells: readonly Cell[]): Record<CellStatus, number> {
  const counts: Record<CellStatus, number> = {
    passed: 0,
    failed: 0,
    warned: 0,
    skipped: 0,
    'not-applicable': 0,
    later: 0,
    'not-claimed': 0,
  };
  for (const cell of cells) counts[cell.status]++;
  return counts;
}

/**
 * A requirement's (or a rule's) verdict on one column: failed if any scenario failed, warned if any
 * warned, passed only when at least one scenario passed and none was skipped; skipped when they all were.
 * Scenarios later than the column's version, or of a feature it does not claim, decide nothing; when
 * they are all there is, the verdict is theirs.
 */
export function verdictOf(cells: readonly Cell[]): CellStatus {
  const c = countCells(cells);
  const applicable = cells.length - c['not-applicable'] - c.later - c['not-claimed'];
  if (applicable === 0) return c.later > 0 ? 'later' : c['not-claimed'] > 0 ? 'not-claimed' : 'not-applicable';
  if (c.failed > 0) return 'failed';
  if (c.warned > 0) return 'warned';
  if (c.skipped === applicable) return 'skipped';
  return c.skipped > 0 ? 'skipped' : 'passed';
}

/**
 * A rule's verdict on one column. A MUST rule fails when a scenario checking it failed; an amber scenario
 * kept it (its miss was another, SHOULD, rule). A SHOULD rule is amber when any scenario reported it not
 * followed, whichever rules that scenario is tagged with, and never failed.
 */
export function ruleVerdict(rule: Rule, scenarios: readonly ScenarioSummary[], column: string): CellStatus {
  const judged = (cell: Cell | undefined) => cell?.status !== 'later' && cell?.status !== 'not-claimed';
  const missed = scenarios.some(
    (s) => judged(s.cells[column]) && s.cells[column]?.recommendations?.some((r) => r.rule === rule.id),
  );
  const checking = scenarios.filter((s) => s.rules.includes(rule.id)).map((s) => s.cells[column]!);
  if (rule.level === 'SHOULD' && missed) return 'warned';
  // A SHOULD rule is followed or not, never failed: a scenario that failed on a MUST rule it also checks
  // tells nothing of it (skipped, as not checked there).
  const as = (c: Cell): Cell =>
    c.status === 'warned'
      ? { ...c, status: 'passed' }
      : rule.level === 'SHOULD' && c.status === 'failed'
        ? { ...c, status: 'skipped' }
        : c;
  const verdict = verdictOf(checking.map(as));
  return checking.length === 0 ? (missed ? 'warned' : 'not-applicable') : verdict;
}

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

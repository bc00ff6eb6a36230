// The totals and the verdict of a summary, from its cells: after a run, after a merge of shards, after
// expectations and a baseline were applied. One function, so a merged report is the one a single run
// would have written.

import { createHash } from 'node:crypto';
import type { ScenarioRow } from '../conformance/scenarios.js';
import { type Cell, type ColumnSummary, type ConformanceSummary, countCells } from './summary.js';

/** The feature set a summary was made from: shards of different ones cannot be merged. */
export function featuresFingerprint(rows: readonly Pick<ScenarioRow, 'key' | 'name' | 'tags'>[]): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) => (a.key < b.key ? -1 : 1)))
    hash.update(`${row.key}\t${row.name}\t${row.tags.join(' ')}\n`);
  return hash.digest('hex').slice(0, 16);
}

export function cellsOf(summary: ConformanceSummary, column: string): Cell[] {
  return summary.requirements.flatMap((r) =>
    r.scenarios.map((s) => s.cells[column]).filter((c): c is Cell => c !== undefined),
  );
}

function recount(column: ColumnSummary, cells: readonly Cell[]): ColumnSummary {
  const counts = countCells(cells.filter((c) => c.expected === undefined || c.status !== 'failed'));
  const expectedFailures = cells.filter((c) => c.expected !== undefined && c.status === 'failed').length;
  return {
    ...column,
    passed: counts.passed,
    failed: counts.failed,
    warned: counts.warned,
    skipped: counts.skipped,
    notApplicable: counts['not-applicable'],
    expectedFailures,
  };
}

/** Per-column and overall counts, and whether the run passed. */
export function finalize(summary: ConformanceSummary): ConformanceSummary {
  const columns = summary.columns.map((c) => recount(c, cellsOf(summary, c.name)));
  const total = (key: 'passed' | 'failed' | 'warned' | 'skipped' | 'expectedFailures') =>
    columns.reduce((n, c) => n + c[key], 0);
  const failed = total('failed') + columns.filter((c) => c.error).length;
  const warned = total('warned');
  const stale = summary.staleExpectations.length;
  return {
    ...summary,
    columns,
    passed: total('passed'),
    failed,
    warned,
    skipped: total('skipped'),
    expectedFailures: total('expectedFailures'),
    success: failed === 0 && stale === 0 && !summary.interrupted && (!summary.strict || warned === 0),
  };
}

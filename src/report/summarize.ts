// Turns what each column's cucumber run reported into the run's summary: one cell per scenario and
// column, per-column totals, the verdict.

import path from 'node:path';
import { DID_NOT_RUN } from './summary.js';
import { featuresFingerprint, finalize } from './finalize.js';
import type { Column } from '../conformance/columns.js';
import type { ColumnOutcome } from '../conformance/run-column.js';
import type { Rule } from '../conformance/clauses.js';
import type { ScenarioRow } from '../conformance/scenarios.js';
import {
  buildRequirements,
  type Cell,
  type ColumnSummary,
  type ConformanceSummary,
  cellFrom,
  type RequirementSummary,
} from './summary.js';

export interface SummaryInput {
  rows: readonly ScenarioRow[];
  columns: readonly Column[];
  outcomes: readonly ColumnOutcome[];
  rules: ReadonlyMap<string, Rule>;
  reportDir: string;
  started: Date;
  interrupted: boolean;
  strict: boolean;
  versions: ConformanceSummary['versions'];
  provisioning: ConformanceSummary['provisioning'];
}

export function summarize(input: SummaryInput): ConformanceSummary {
  const { rows, columns, outcomes, rules } = input;
  const requirements = buildRequirements(
    rows,
    (row, name) =>
      cellOf(
        input,
        row,
        columns.findIndex((c) => c.name === name),
      ),
    columns.map((c) => c.name),
    rules,
  );
  const columnSummaries = columns.map((column, index) =>
    columnSummary(column, outcomes[index]!, requirements, input.reportDir),
  );
  // The rules the scenarios name, and those a store was reported not to follow.
  const named = new Set([
    ...rows.flatMap((r) => r.rules),
    ...requirements.flatMap((r) =>
      r.scenarios.flatMap((s) => Object.values(s.cells).flatMap((c) => (c.recommendations ?? []).map((x) => x.rule))),
    ),
  ]);
  return finalize({
    suite: { wfstore: input.versions.wfstore, features: featuresFingerprint(rows) },
    versions: input.versions,
    provisioning: input.provisioning,
    startedAt: input.started.toISOString(),
    durationMs: Date.now() - input.started.getTime(),
    interrupted: input.interrupted,
    strict: input.strict,
    columns: columnSummaries,
    requirements,
    rules: [...rules.values()].filter((r) => named.has(r.id)),
    passed: 0,
    failed: 0,
    warned: 0,
    skipped: 0,
    expectedFailures: 0,
    staleExpectations: [],
    success: false,
  });
}

function cellOf(input: SummaryInput, row: ScenarioRow, index: number): Cell {
  const column = input.columns[index]!;
  const why = column.notApplicable(row);
  if (why !== undefined) return { status: 'not-applicable', message: why };
  const result = input.outcomes[index]!.results.byKey.get(row.key);
  if (result !== undefined) return cellFrom(result);
  // Applicable but never reported: the run was interrupted (not a failure of the store), or it stopped
  // on its own before this scenario (the column's error says why).
  if (input.interrupted) return { status: 'skipped', message: 'the run was interrupted before this scenario' };
  const message = `the ${column.name} run stopped before this scenario (see its error above the matrix)`;
  return { status: 'failed', step: DID_NOT_RUN, message };
}

function columnSummary(
  column: Column,
  outcome: ColumnOutcome,
  requirements: readonly RequirementSummary[],
  reportDir: string,
): ColumnSummary {
  const cells = requirements.flatMap((r) => r.scenarios.map((s) => s.cells[column.name]!));
  const relative = (file: string) => path.relative(reportDir, file).split(path.sep).join('/');
  // The counts are filled in by finalize(), from the cells.
  return {
    name: column.name,
    kind: column.kind,
    passed: 0,
    failed: 0,
    warned: 0,
    skipped: 0,
    notApplicable: 0,
    expectedFailures: 0,
    durationMs: outcome.durationMs,
    error: runError(outcome, cells),
    reports: {
      html: relative(outcome.files.html),
      messages: relative(outcome.files.messages),
      junit: relative(outcome.files.junit),
      stderr: relative(outcome.files.stderr),
    },
  };
}

/** Why a column's run failed outside its scenarios: a crash, an error in a hook before or after them all. */
function runError(outcome: ColumnOutcome, cells: readonly Cell[]): string | undefined {
  const didNotRun = cells.some((c) => c.step === DID_NOT_RUN);
  const failedScenario = cells.some((c) => c.status === 'failed' && c.step !== DID_NOT_RUN);
  if (outcome.exitCode === 0 && !didNotRun) return undefined;
  if (failedScenario && !didNotRun) return undefined; // the exit status is explained by the failures
  if (outcome.interrupted) return 'interrupted';
  return outcome.results.runError ?? (lastLines(outcome.stderr) || `cucumber exited with ${outcome.exitCode}`);
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

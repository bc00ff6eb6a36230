// Turns what each column's cucumber run reported into the run's findings: one cell per scenario and
// column, each column's run and its files. The builder (build.ts) counts and judges them.

import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Column } from '../conformance/columns.js';
import type { ColumnOutcome } from '../conformance/run-column.js';
import type { Rule } from '../conformance/clauses.js';
import type { ScenarioRow } from '../conformance/scenarios.js';
import {
  buildRequirements,
  type Cell,
  type ColumnFindings,
  type ConformanceSummary,
  cellFrom,
  DID_NOT_RUN,
  type Findings,
  type RequirementSummary,
  standingCell,
} from './summary.js';
import { standingOf } from '../conformance/judge.js';
import { LATEST_CONTRACT } from '../contract/versions.js';

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

export function summarize(input: SummaryInput): Findings {
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
    (row, name, cell) => standingCell(cell, standingOf(row, columns.find((c) => c.name === name)!.judgement, rules)),
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
  return {
    suite: { wfstore: input.versions.wfstore, features: featuresFingerprint(rows) },
    contract: { latest: LATEST_CONTRACT },
    versions: input.versions,
    provisioning: input.provisioning,
    startedAt: input.started.toISOString(),
    durationMs: Date.now() - input.started.getTime(),
    interrupted: input.interrupted,
    strict: input.strict,
    columns: columnSummaries,
    requirements,
    rules: [...rules.values()].filter((r) => named.has(r.id)),
  };
}

/** The feature set a summary was made from: shards of different ones cannot be merged. */
export function featuresFingerprint(rows: readonly Pick<ScenarioRow, 'key' | 'name' | 'tags'>[]): string {
  const hash = createHash('sha256');
  for (const row of [...rows].sort((a, b) => (a.key < b.key ? -1 : 1)))
    hash.update(`${row.key}\t${row.name}\t${row.tags.join(' ')}\n`);
  return hash.digest('hex').slice(0, 16);
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
): ColumnFindings {
  const cells = requirements.flatMap((r) => r.scenarios.map((s) => s.cells[column.name]!));
  const relative = (file: string) => path.relative(reportDir, file).split(path.sep).join('/');
  return {
    name: column.name,
    kind: column.kind,
    contract: {
      declared: column.judgement.declared ?? null,
      judged: column.judgement.judged,
      features: [...column.judgement.features],
      ...(column.about === undefined ? {} : { about: column.about }),
    },
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
  // A scenario that failed, counted or not (later, not claimed): cucumber's exit status counts them all.
  const failedScenario = cells.some((c) => (c.status === 'failed' || c.would === 'fail') && c.step !== DID_NOT_RUN);
  if (outcome.exitCode === 0 && !didNotRun) return undefined;
  if (failedScenario && !didNotRun) return undefined; // the exit status is explained by the failures
  if (outcome.interrupted) return 'interrupted';
  return outcome.results.runError ?? (lastLines(outcome.stderr) || `cucumber exited with ${outcome.exitCode}`);
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

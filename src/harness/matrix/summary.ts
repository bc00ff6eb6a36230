// The facts of one conformance run, for summary.json, the terminal table and index.html.

import type { CellStatus, ScenarioResult } from './results.js';
import type { ScenarioRow } from './scenarios.js';

/** The step named in a cell whose scenario never ran because the whole run stopped. */
export const DID_NOT_RUN = 'the run stopped before this scenario';

export interface Cell {
  status: CellStatus;
  /** Failed: the step or hook that failed. */
  step?: string | undefined;
  /** Failed: the error; skipped or not applicable: why. */
  message?: string | undefined;
  durationMs?: number | undefined;
}

export interface ColumnSummary {
  name: string;
  kind: 'reference' | 'store';
  passed: number;
  failed: number;
  skipped: number;
  notApplicable: number;
  durationMs: number;
  /** A failure of the run outside any scenario (a crash, an AfterAll hook). */
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
  cells: Record<string, Cell>;
}

export interface RequirementSummary {
  id: string;
  feature: string;
  scenarios: ScenarioSummary[];
}

export interface ConformanceSummary {
  versions: { wfstore: string; node: string; sqlite: string; postgres: string | null };
  /** How the PostgreSQL column got its server, when there is one. */
  postgresProvisioning: { way: string; reason: string } | null;
  startedAt: string;
  durationMs: number;
  columns: ColumnSummary[];
  requirements: RequirementSummary[];
  /** Scenario × column results; not-applicable cells are not counted, skipped ones only as skipped. */
  passed: number;
  failed: number;
  skipped: number;
  success: boolean;
}

/** Groups rows by requirement, in file order, with one cell per column. */
export function buildRequirements(
  rows: readonly ScenarioRow[],
  cellOf: (row: ScenarioRow, column: string) => Cell,
  columns: readonly string[],
): RequirementSummary[] {
  const byId = new Map<string, RequirementSummary>();
  for (const row of rows) {
    let requirement = byId.get(row.requirement);
    if (requirement === undefined) {
      requirement = { id: row.requirement, feature: row.feature, scenarios: [] };
      byId.set(row.requirement, requirement);
    }
    requirement.scenarios.push({
      key: row.key,
      name: row.name,
      uri: row.uri,
      line: row.line,
      tags: row.tags,
      cells: Object.fromEntries(columns.map((c) => [c, cellOf(row, c)])),
    });
  }
  return [...byId.values()];
}

export function cellFrom(result: ScenarioResult): Cell {
  return { status: result.status, step: result.step, message: result.message, durationMs: result.durationMs };
}

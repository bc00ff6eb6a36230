// A run compared with an earlier one (`--baseline <summary.json or report dir>`): each cell newly failing,
// newly passing or newly applicable is marked, for the terminal, the HTML and the JSON to show.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Cell, ConformanceSummary, ScenarioSummary } from './summary.js';

export class BaselineError extends Error {
  constructor(file: string, problem: string, option = '--baseline ') {
    super(`${option}${file}: ${problem}`);
    this.name = 'BaselineError';
  }
}

/** A summary.json, or a report directory holding one; `option` names where it was given, for errors. */
export async function loadBaseline(file: string, option = '--baseline '): Promise<ConformanceSummary> {
  try {
    const isDir = (await fs.stat(file).catch(() => undefined))?.isDirectory() === true;
    const summaryFile = isDir ? path.join(file, 'summary.json') : file;
    const summary = JSON.parse(await fs.readFile(summaryFile, 'utf8')) as ConformanceSummary;
    if (!Array.isArray(summary.requirements) || !Array.isArray(summary.columns)) throw new Error('not a summary.json');
    return summary;
  } catch (error) {
    throw new BaselineError(file, `is not a wfstore summary.json (${(error as Error).message.split('\n')[0]})`, option);
  }
}

const failing = (c: Cell | undefined) => c?.status === 'failed' && c.expected === undefined;
const applicable = (c: Cell | undefined) => c !== undefined && c.status !== 'not-applicable';

function changeOf(before: Cell | undefined, now: Cell): Cell['change'] {
  if (!applicable(now)) return undefined;
  if (!applicable(before)) return 'newly-applicable';
  if (failing(now) && !failing(before)) return 'newly-failing';
  if (!failing(now) && now.status !== 'skipped' && failing(before)) return 'newly-passing';
  return undefined;
}

/** Marks each cell (of the builder's own copy) that changed since the baseline, replacing a shard's marks. */
export function markChanges(scenarios: readonly ScenarioSummary[], baseline: ConformanceSummary): void {
  const before = new Map(baseline.requirements.flatMap((r) => r.scenarios.map((s) => [s.key, s.cells] as const)));
  for (const scenario of scenarios) {
    for (const [column, cell] of Object.entries(scenario.cells)) {
      delete cell.change;
      const change = changeOf(before.get(scenario.key)?.[column], cell);
      if (change !== undefined) cell.change = change;
    }
  }
}

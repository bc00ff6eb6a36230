// Expected failures (as the openCypher TCK's implementers keep them): a file listing, per backend, the
// scenarios or rules a store under construction still fails, each with a reason. The run passes when
// exactly those cells fail: a new failure fails it, and so does an expected failure that now passes.
//
//   { "version": 1, "expected": [
//     { "backend": "my-store", "scenario": "A duplicate id is refused …", "reason": "ids not unique yet" },
//     { "backend": "my-store", "rule": "WF-CAS-1", "reason": "no compare-and-set yet" } ] }
//
// One file serves every shard of a matrix: an entry for a backend the run does not have, or for scenarios
// its --tags/--name left out, is another shard's and is left alone here. A backend name that is neither a
// reference backend nor a column is a mistake in a run with a --store column (it can only mean that
// store) and in a merge (every shard is there); a run of reference backends alone takes it for the store
// another shard runs.

import { promises as fs } from 'node:fs';
import { PACKAGE_ROOT } from '../package-root.js';
import { isBackendName, BACKEND_NAMES } from '../backends/registry.js';
import { loadScenarios } from '../conformance/scenarios.js';
import type { ConformanceSummary, ScenarioSummary, StaleExpectation } from './summary.js';

export interface Expectation {
  backend: string;
  /** A scenario's name (as in the report), or its key (`features/…feature:line`). */
  scenario?: string;
  /** A rule id: every scenario checking it may fail on that backend. */
  rule?: string;
  reason: string;
  /**
   * For a property scenario: the seed its failure was found with. A run given the file replays that seed
   * on that backend (unless --seed is given), so the entry does not flip with the next random seed.
   */
  seed?: number;
}

/** A problem with the expectations file itself: named, one line. */
export class ExpectationsError extends Error {
  constructor(file: string, problem: string) {
    super(`--expect ${file}: ${problem}`);
    this.name = 'ExpectationsError';
  }
}

/**
 * An expectations file listing every failure of a report (all backends, or one) as a scenario entry with the
 * given reason: the file a store under construction starts from, when one bug fails many scenarios. Failures
 * the report already took as expected keep their own reason.
 */
export function expectationsFrom(
  summary: ConformanceSummary,
  options: { reason: string; backend?: string | undefined },
): { version: 1; expected: Expectation[] } {
  const expected: Expectation[] = [];
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      for (const [backend, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || (options.backend !== undefined && backend !== options.backend)) continue;
        const entry: Expectation = { backend, scenario: scenario.name, reason: cell.expected ?? options.reason };
        expected.push(cell.seed === undefined ? entry : { ...entry, seed: cell.seed });
      }
    }
  }
  return { version: 1, expected };
}

export async function loadExpectations(file: string): Promise<Expectation[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ExpectationsError(file, `cannot be read as JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const o = parsed as { version?: unknown; expected?: unknown };
  if (typeof o !== 'object' || o === null || o.version !== 1 || !Array.isArray(o.expected)) {
    throw new ExpectationsError(file, 'must be { "version": 1, "expected": [ … ] }');
  }
  return o.expected.map((entry, i) => checkEntry(file, entry, i));
}

function checkEntry(file: string, entry: unknown, i: number): Expectation {
  const e = entry as Partial<Expectation> | null;
  const at = `expected[${i}]`;
  if (typeof e !== 'object' || e === null) throw new ExpectationsError(file, `${at} is not an object`);
  const extra = Object.keys(e).find((k) => !['backend', 'scenario', 'rule', 'reason', 'seed'].includes(k));
  if (extra !== undefined)
    throw new ExpectationsError(file, `${at}.${extra} is not a field (backend, scenario or rule, reason, seed)`);
  if (typeof e.backend !== 'string' || e.backend === '')
    throw new ExpectationsError(file, `${at}.backend must name a backend`);
  if ((e.scenario === undefined) === (e.rule === undefined)) {
    throw new ExpectationsError(file, `${at} must give exactly one of "scenario" and "rule"`);
  }
  if (typeof e.reason !== 'string' || e.reason.trim() === '')
    throw new ExpectationsError(file, `${at}.reason must say why`);
  if (e.seed !== undefined && (!Number.isSafeInteger(e.seed) || e.scenario === undefined)) {
    throw new ExpectationsError(file, `${at}.seed must be an integer, given with "scenario" (a property's seed)`);
  }
  return e as Expectation;
}

const label = (e: Expectation, i: number) => `expected[${i}] (${e.backend}, ${e.scenario ?? e.rule})`;

/**
 * Every entry names a backend (a column of the run, a reference backend, or, in a run without a store
 * column, another shard's store) and a scenario or rule of the features (all of them, not only those
 * --tags selected).
 */
export function checkAgainstRun(
  file: string,
  entries: readonly Expectation[],
  backends: readonly string[],
  rows: readonly { key: string; name: string; rules: readonly string[] }[],
  everyBackend = false,
): void {
  const hasStore = everyBackend || backends.some((b) => !isBackendName(b));
  entries.forEach((e, i) => {
    if (!backends.includes(e.backend) && !isBackendName(e.backend) && hasStore) {
      const known = [...new Set([...backends, ...BACKEND_NAMES])].join(', ');
      throw new ExpectationsError(file, `${label(e, i)}: no backend "${e.backend}" (there are ${known})`);
    }
    const exists = rows.some((r) =>
      e.rule !== undefined ? r.rules.includes(e.rule) : r.name === e.scenario || r.key === e.scenario,
    );
    if (!exists)
      throw new ExpectationsError(file, `${label(e, i)}: no such ${e.rule ? 'rule' : 'scenario'} in the features`);
  });
}

/**
 * The file read and checked against the backends of a run, or of a merge (`everyBackend`: no shard is
 * missing), and every scenario of the features.
 */
export async function loadCheckedExpectations(
  file: string,
  backends: readonly string[],
  everyBackend = false,
): Promise<Expectation[]> {
  const entries = await loadExpectations(file);
  checkAgainstRun(file, entries, backends, await loadScenarios(PACKAGE_ROOT), everyBackend);
  return entries;
}

type Scenario = Pick<ScenarioSummary, 'key' | 'name' | 'rules'>;

/** Whether an entry covers a scenario: by its rule, or by the scenario's name or key. */
const covers = (e: Expectation, s: Scenario) =>
  e.rule !== undefined ? s.rules.includes(e.rule) : s.name === e.scenario || s.key === e.scenario;

/** The scenarios an entry covers (checkAgainstRun has made sure it names something that exists). */
function scenariosOf(scenarios: readonly ScenarioSummary[], e: Expectation): ScenarioSummary[] {
  return scenarios.filter((s) => covers(e, s));
}

/**
 * The seeds a column's property scenarios replay, by scenario name: those the entries for that backend
 * recorded (`report expect` writes them).
 */
export function seedsFor(
  entries: readonly Expectation[],
  backend: string,
  scenarios: readonly Scenario[],
): Record<string, number> {
  const seeds: Record<string, number> = {};
  for (const e of entries) {
    if (e.backend !== backend || e.seed === undefined) continue;
    for (const s of scenarios) if (covers(e, s)) seeds[s.name] = e.seed;
  }
  return seeds;
}

/** The first entry that lists a scenario's failure on a backend, if any (the run's progress lines ask). */
export function expectationFor(
  entries: readonly Expectation[],
  backend: string,
  scenario: Scenario,
): Expectation | undefined {
  return entries.find((e) => e.backend === backend && covers(e, scenario));
}

/**
 * Marks the expected failures among the cells of `columns` (the builder's own copy), replacing any marks a
 * shard carried, and returns the entries none of whose cells failed: the run then fails with "remove this
 * expectation", so the list stays honest. The entries were checked (loadCheckedExpectations).
 */
export function markExpected(
  scenarios: readonly ScenarioSummary[],
  columns: ReadonlySet<string>,
  entries: readonly Expectation[],
): StaleExpectation[] {
  const stale: StaleExpectation[] = [];
  for (const s of scenarios) for (const c of Object.values(s.cells)) delete c.expected;
  entries.forEach((e, i) => {
    if (!columns.has(e.backend)) return;
    const cells = scenariosOf(scenarios, e).map((s) => s.cells[e.backend]!);
    if (cells.length === 0) return;
    let failing = 0;
    for (const cell of cells) {
      if (cell.status !== 'failed') continue;
      cell.expected = e.reason;
      failing++;
    }
    if (failing === 0) stale.push({ entry: label(e, i), backend: e.backend, reason: e.reason });
  });
  return stale;
}

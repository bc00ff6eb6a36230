// What a column is judged by: the contract version and the optional features it claims. A scenario
// whose rules are later than the version still runs and is shown "after 1.0: would pass / would fail"
// (status `later`); one of a feature the store does not claim is shown "not claimed". Neither counts.

import { type ContractVersion, compareVersions, type Rule, scenarioFeatures, scenarioVersion } from './clauses.js';
import type { ScenarioRow } from './scenarios.js';

export interface Judgement {
  /** The contract version the store declares; undefined when it declares none. */
  declared: ContractVersion | undefined;
  /** The version it is judged by (the run's --contract, else the declared one, else 1.1). */
  judged: ContractVersion;
  /** The optional features it claims. */
  features: readonly string[];
}

/** How a scenario that ran is counted on a column. */
export type Standing =
  | { kind: 'judged' }
  /** Its rules are later than the judged version: shown, not counted. */
  | { kind: 'later'; version: ContractVersion }
  /** It checks a feature the store does not claim. */
  | { kind: 'not-claimed'; features: string[] };

export function standingOf(row: ScenarioRow, judgement: Judgement, rules: ReadonlyMap<string, Rule>): Standing {
  const unclaimed = scenarioFeatures(row.rules, rules).filter((f) => !judgement.features.includes(f));
  if (unclaimed.length > 0) return { kind: 'not-claimed', features: unclaimed };
  const version = scenarioVersion(row.rules, rules);
  return compareVersions(version, judgement.judged) > 0 ? { kind: 'later', version } : { kind: 'judged' };
}

/** The rules later than `version`, in contract order: what moving past it takes. */
export function rulesAfter(version: ContractVersion, rules: ReadonlyMap<string, Rule>): Rule[] {
  return [...rules.values()].filter((r) => compareVersions(r.since, version) > 0 && r.feature === undefined);
}

// Every MUST rule of docs/contract.md (but those that bind only the reference backends) is proven to be
// tested: it has a mutant here — the memory store with that rule broken at its interface — and the scenarios
// expected to catch the mutant (those tagged with its rule, or its `caughtBy`) kill it. Only those scenarios
// run, on the memory base, so a rule whose own scenarios miss a clause shows here even when another
// scenario happens to catch the bug. Prints the score: rules covered, mutants killed.

import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { loadRulesSync } from '../../src/conformance/clauses.js';
import { PACKAGE_ROOT, runConformance } from '../../src/conformance/run-conformance.js';
import { DID_NOT_RUN, type ConformanceSummary } from '../../src/report/summary.js';
import { loadMutant, type Mutant, mutantModule, mutantNames, pool } from './mutant.js';

const RULES = loadRulesSync(PACKAGE_ROOT);
/** The rules a store outside this repository is judged by at MUST level. */
const MUST = [...RULES.values()].filter((r) => r.level === 'MUST' && !r.referenceOnly).map((r) => r.id);
const names = await mutantNames();
const mutants = await Promise.all(names.map(loadMutant));
// WFSTORE_MUTANTS=name,name runs only those (while writing a mutant); every check but the run still sees all.
const chosen = process.env.WFSTORE_MUTANTS?.split(',').map((n) => n.trim());
const running = chosen === undefined ? mutants : mutants.filter((m) => chosen.includes(m.name));
const REPORTS = path.join(PACKAGE_ROOT, 'reports', 'mutants', 'clauses');

it('each mutant names itself as its file does, a rule of the contract and what it breaks', () => {
  const problems = mutants.flatMap((m, i) => {
    const rule = RULES.get(m.rule);
    return [
      m.name === names[i] ? [] : [`${names[i]}.ts: its name is "${m.name}"`],
      rule === undefined ? [`${m.name}: "${m.rule}" is no rule of docs/contract.md`] : [],
      rule?.referenceOnly ? [`${m.name}: ${m.rule} binds only the reference backends`] : [],
      m.breaks.trim() === '' ? [`${m.name}: says nothing of what it breaks`] : [],
      m.caughtBy === `@${m.rule}` || m.why !== undefined ? [] : [`${m.name}: caughtBy without why`],
    ].flat();
  });
  assert.deepEqual(problems, []);
});

it(`every MUST rule has a mutant (${MUST.length} rules)`, () => {
  const covered = new Set(mutants.map((m) => m.rule));
  assert.deepEqual(
    MUST.filter((id) => !covered.has(id)),
    [],
    'MUST rules without a mutant in test/mutants/',
  );
});

interface Outcome {
  mutant: Mutant;
  /** Scenarios run (not "not applicable"), and those that failed (or, for a SHOULD mutant, showed amber). */
  ran: number;
  caught: string[];
  error: string | undefined;
  seconds: number;
}

function outcomeOf(mutant: Mutant, summary: ConformanceSummary, seconds: number): Outcome {
  const cells = summary.requirements.flatMap((r) =>
    r.scenarios.map((s) => ({ name: s.name, cell: Object.values(s.cells)[0]! })),
  );
  const kills = (status: string) =>
    cells.filter(({ cell }) => cell.status === status && cell.step !== DID_NOT_RUN).map(({ name }) => name);
  const caught = kills('failed');
  return {
    mutant,
    ran: cells.filter(({ cell }) => cell.status !== 'not-applicable').length,
    caught: caught.length === 0 && mutant.level === 'SHOULD' ? kills('warned') : caught,
    error: summary.columns[0]?.error,
    seconds,
  };
}

async function run(mutant: Mutant): Promise<Outcome> {
  const started = Date.now();
  const summary = await runConformance({
    store: await mutantModule(mutant.name, 'memory', path.join(REPORTS, 'modules')),
    tags: mutant.caughtBy,
    reportDir: path.join(REPORTS, mutant.name),
    log: () => {},
  });
  return outcomeOf(mutant, summary, (Date.now() - started) / 1000);
}

function print(outcomes: readonly Outcome[]): void {
  const killed = outcomes.filter((o) => o.caught.length > 0);
  const covered = new Set(killed.filter((o) => o.mutant.level === 'MUST').map((o) => o.mutant.rule));
  const rules =
    chosen === undefined ? `; MUST rules covered ${MUST.filter((id) => covered.has(id)).length}/${MUST.length}` : '';
  console.log(
    `\nclause mutants (memory store, each on the scenarios expected to catch it): ` +
      `${killed.length}/${outcomes.length} killed${rules}`,
  );
  for (const o of outcomes) {
    const how = o.caught.length > 0 ? `✔ killed ${o.caught.length}/${o.ran}` : `✖ SURVIVED 0/${o.ran}`;
    console.log(
      `  ${o.mutant.rule.padEnd(10)} ${o.mutant.name.padEnd(34)} ${how.padEnd(18)} ${o.seconds.toFixed(1)} s  ` +
        `${o.error ?? o.caught[0] ?? `by ${o.mutant.caughtBy}`}`,
    );
  }
}

it(`the scenarios expected to catch each of the ${running.length} mutants kill it`, {
  timeout: 900_000,
}, async () => {
  assert.ok(running.length > 0, `WFSTORE_MUTANTS=${chosen?.join(',')} names no mutant`);
  const outcomes = await pool(running, 2, run);
  print(outcomes);
  assert.deepEqual(
    outcomes.filter((o) => o.caught.length === 0).map((o) => `${o.mutant.name} (${o.mutant.caughtBy})`),
    [],
    'mutants the scenarios of their rule did not catch',
  );
});

// Every mutant (a store with one contract rule broken) must fail the whole conformance suite when built on
// the third-party test store (its own clock, ids and error class), run through the initializer path a third
// party uses: the clock-free checks of the suite are put to the test. On the memory store, which takes the
// harness's clock and ids, clauses.slow.test.ts runs each mutant on the scenarios of its rule alone. Prints
// the mutation score with the scenario that caught each. A mutant that breaks only a SHOULD rule counts as
// caught when it shows amber. A mutant of a rule later than the version the store declares is judged by its
// rule's version. The store, written for 1.1, answers the cases 1.2 writes down as 1.2 does but has none of
// what 1.2 adds (several events, expected metadata, fenced appends, pages): judged by 1.2 unbroken, it fails
// those scenarios alone (and those of the properties and the engine, which use them), which therefore kill
// no mutant, and the mutants of those rules are left out. A mutant of the store's clock or ids (`needs`) is
// left out too: on a store with its own, it changes nothing the suite can see. WFSTORE_MUTANTS=name,name runs
// only those.

import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { PACKAGE_ROOT, runConformance } from '../../src/conformance/run-conformance.js';
import type { ConformanceSummary } from '../../src/report/summary.js';
import { LATEST_CONTRACT } from '../../src/contract/versions.js';
import { loadRulesSync } from '../../src/conformance/clauses.js';
import { fixedModule, loadMutant, mutantModule, mutantNames, pool, shows } from './mutant.js';

const MODULES = path.join(PACKAGE_ROOT, 'reports', 'mutants', 'modules');
const RULES = loadRulesSync(PACKAGE_ROOT);
const BASE = 'third-party';
const all = await Promise.all((await mutantNames()).map(loadMutant));
const chosen = process.env.WFSTORE_MUTANTS?.split(',').map((n) => n.trim());
const shown = await Promise.all(all.map((m) => shows(m, BASE)));
/** The rules of 1.2 the store does not implement: their scenarios fail on it unbroken. */
const NOT_IMPLEMENTED = ['WF-RUN-7', 'WF-UPD-5', 'WF-CAS-3', 'WF-SEQ-4'];
const mutants = all.filter(
  (m, i) => shown[i] && !NOT_IMPLEMENTED.includes(m.rule) && (chosen === undefined || chosen.includes(m.name)),
);
const unseen = all.filter((_, i) => !shown[i]).map((m) => `${m.name} (needs ${m.needs.join(', ')})`);
const unimplemented = all.filter((m) => NOT_IMPLEMENTED.includes(m.rule)).length;

/** The scenarios that failed (or showed amber) on the column, by key, with their names. */
function caughtBy(summary: ConformanceSummary, status: 'failed' | 'warned'): Map<string, string> {
  return new Map(
    summary.requirements.flatMap((r) =>
      r.scenarios
        .filter((s) => Object.values(s.cells).some((c) => c.status === status))
        .map((s) => [s.key, `${r.id} › ${s.name}`] as const),
    ),
  );
}

/** The store unbroken, judged by the latest contract: what it fails there kills no mutant. */
let unbroken: Promise<ConformanceSummary> | undefined;
const judgedUnbroken = async () =>
  (unbroken ??= runConformance({
    store: await fixedModule('unbroken', BASE, MODULES),
    contract: LATEST_CONTRACT,
    reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', BASE, 'unbroken'),
    log: () => {},
  }));

it(`the ${BASE} store unbroken fails, judged by the latest contract, only scenarios of what 1.2 adds`, {
  timeout: 300_000,
}, async () => {
  const summary = await judgedUnbroken();
  const failing = summary.requirements.flatMap((r) =>
    r.scenarios.filter((s) => caughtBy(summary, 'failed').has(s.key)),
  );
  const others = failing.filter((s) => !s.rules.some((id) => NOT_IMPLEMENTED.includes(id)));
  // The properties meet the calls 1.2 adds at random, and fail with them.
  const properties = others.filter(
    (s) => s.tags.includes('@REQ-PROPERTIES') || /^(All backends|Concurrent calls)/.test(s.name),
  );
  // The reference engine, judged by 1.2, commits its final status with its events and fences its writes by
  // its claim (WF-UPD-5, WF-CAS-3, WF-SEQ-4): its scenarios fail where the store refuses one of those options,
  // and only there (by the 1.1 the store declares, they pass: test/package/pack.slow.test.ts).
  const engine = others.filter(
    (s) =>
      s.rules.includes('WF-ENG-1') &&
      Object.values(s.cells).every(
        (c) => c.status !== 'failed' || /unknown field "(events|expected_metadata)"/.test(c.message ?? ''),
      ),
  );
  assert.deepEqual(
    others.filter((s) => !properties.includes(s) && !engine.includes(s)).map((s) => s.name),
    [],
  );
  assert.ok(failing.length > 0, 'it has none of what 1.2 adds, and fails those scenarios');
});

it(`the conformance suite kills every mutant built on the ${BASE} store (${mutants.length} of them)`, {
  timeout: 1_200_000,
}, async () => {
  assert.ok(all.length >= 20, `at least 20 mutants, found ${all.length}`);
  assert.ok(mutants.length > 0, `WFSTORE_MUTANTS=${chosen?.join(',')} names no mutant the ${BASE} store shows`);
  const baseline = await judgedUnbroken();
  const failedUnbroken = caughtBy(baseline, 'failed');
  const outcomes = await pool(mutants, 2, async ({ name, level, rule }) => {
    // Judged by 1.2 (its rule's version), what the store fails unbroken there is no kill.
    const known = RULES.get(rule)?.since === LATEST_CONTRACT ? failedUnbroken : new Map<string, string>();
    const summary = await runConformance({
      store: await mutantModule(name, BASE, MODULES),
      reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', BASE, name),
      log: () => {},
    });
    const newly = (status: 'failed' | 'warned') =>
      [...caughtBy(summary, status)].filter(([key]) => !known.has(key)).map(([, name]) => name);
    return { name, level, summary, failed: newly('failed'), warned: newly('warned') };
  });
  // A MUST mutant must fail a scenario; a SHOULD mutant must at least show amber.
  const survivors = outcomes.filter((o) => o.failed.length === 0 && (o.level === 'MUST' || o.warned.length === 0));
  console.log(`\nmutation score (${BASE} store): ${outcomes.length - survivors.length}/${outcomes.length} killed`);
  if (unseen.length > 0)
    console.log(`  left out, as the ${BASE} store has its own clock and ids: ${unseen.join(', ')}`);
  console.log(`  left out, as the ${BASE} store has none of ${NOT_IMPLEMENTED.join(', ')}: ${unimplemented} mutants`);
  for (const o of outcomes) {
    const how =
      o.failed.length > 0
        ? `✔ killed  ${o.failed.length} failed`
        : o.warned.length > 0
          ? '▲ amber   (SHOULD)'
          : '✖ SURVIVED';
    console.log(`  ${how.padEnd(20)} ${o.name.padEnd(34)} first: ${o.failed[0] ?? o.warned[0] ?? '—'}`);
  }
  assert.deepEqual(
    survivors.map((s) => s.name),
    [],
    'mutants no scenario caught',
  );
});

// Every mutant (a store with one contract rule broken) must fail the whole conformance suite when built on
// the third-party test store (its own clock, ids and error class), run through the initializer path a third
// party uses: the clock-free checks of the suite are put to the test. On the memory store, which takes the
// harness's clock and ids, clauses.slow.test.ts runs each mutant on the scenarios of its rule alone. Prints
// the mutation score with the scenario that caught each. A mutant that breaks only a SHOULD rule counts as
// caught when it shows amber. A mutant of a rule later than the version the store declares is judged by its
// rule's version, which the store unbroken must pass (else its own failure would kill every mutant). A
// mutant of the store's clock or ids (`needs`) is left out: on a store with its own, it changes nothing the
// suite can see. WFSTORE_MUTANTS=name,name runs only those.

import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { PACKAGE_ROOT, runConformance } from '../../src/conformance/run-conformance.js';
import type { ConformanceSummary } from '../../src/report/summary.js';
import { LATEST_CONTRACT } from '../../src/contract/versions.js';
import { fixedModule, loadMutant, mutantModule, mutantNames, pool, shows } from './mutant.js';

const MODULES = path.join(PACKAGE_ROOT, 'reports', 'mutants', 'modules');
const BASE = 'third-party';
const all = await Promise.all((await mutantNames()).map(loadMutant));
const chosen = process.env.WFSTORE_MUTANTS?.split(',').map((n) => n.trim());
const shown = await Promise.all(all.map((m) => shows(m, BASE)));
const mutants = all.filter((m, i) => shown[i] && (chosen === undefined || chosen.includes(m.name)));
const unseen = all.filter((_, i) => !shown[i]).map((m) => `${m.name} (needs ${m.needs.join(', ')})`);

function caughtBy(summary: ConformanceSummary): { failed: string[]; warned: string[] } {
  const scenarios = summary.requirements.flatMap((r) => r.scenarios.map((s) => ({ ...s, requirement: r.id })));
  const where = (status: string) =>
    scenarios
      .filter((s) => Object.values(s.cells).some((c) => c.status === status))
      .map((s) => `${s.requirement} › ${s.name}`);
  return { failed: where('failed'), warned: where('warned') };
}

it(`the ${BASE} store unbroken passes the whole suite, judged by the latest contract`, {
  timeout: 300_000,
}, async () => {
  const summary = await runConformance({
    store: await fixedModule('unbroken', BASE, MODULES),
    contract: LATEST_CONTRACT,
    reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', BASE, 'unbroken'),
    log: () => {},
  });
  assert.equal(summary.success, true, `${summary.failed} scenario(s) failed`);
});

it(`the conformance suite kills every mutant built on the ${BASE} store (${mutants.length} of them)`, {
  timeout: 1_200_000,
}, async () => {
  assert.ok(all.length >= 20, `at least 20 mutants, found ${all.length}`);
  assert.ok(mutants.length > 0, `WFSTORE_MUTANTS=${chosen?.join(',')} names no mutant the ${BASE} store shows`);
  const outcomes = await pool(mutants, 2, async ({ name, level }) => {
    const summary = await runConformance({
      store: await mutantModule(name, BASE, MODULES),
      reportDir: path.join(PACKAGE_ROOT, 'reports', 'mutants', BASE, name),
      log: () => {},
    });
    return { name, level, summary, ...caughtBy(summary) };
  });
  // A MUST mutant must fail a scenario; a SHOULD mutant must at least show amber.
  const survivors = outcomes.filter((o) => o.failed.length === 0 && (o.level === 'MUST' || o.warned.length === 0));
  console.log(`\nmutation score (${BASE} store): ${outcomes.length - survivors.length}/${outcomes.length} killed`);
  if (unseen.length > 0)
    console.log(`  left out, as the ${BASE} store has its own clock and ids: ${unseen.join(', ')}`);
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

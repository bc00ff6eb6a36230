// `--expect` and `--baseline` as a user runs them, on a store that fails some scenarios (the mutant whose
// events come newest first) and on the same store fixed (same name). Which scenarios fail is read from a
// run without expectations, not written here.

import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/conformance/run-conformance.js';
import { loadScenarios } from '../../src/conformance/scenarios.js';
import type { ConformanceSummary, ScenarioSummary } from '../../src/report/summary.js';
import { fixedModule, mutantModule } from '../mutants/mutant.js';
import {
  checkJunitStructure,
  htmlWithoutTimes,
  junitWithoutTimes,
  readReport,
  summaryWithoutTimes,
  wfstore,
} from './support.js';

const DIR = path.join(PACKAGE_ROOT, 'reports', 'expect-check');
const STORE = 'events-newest-first';
const TAGS = '@REQ-CONTRACT-SEQUENCE';
const REASON = 'listed newest first until the index is rebuilt';

interface Entry {
  backend: string;
  scenario?: string;
  rule?: string;
  reason: string;
}

let broken: string;
let fixed: string;
/** The store's scenarios in a run without expectations: those that failed, and those that passed. */
let failing: ScenarioSummary[];
let passing: ScenarioSummary[];
let files = 0;

async function expectFile(entries: readonly Entry[] | string): Promise<string> {
  const file = path.join(DIR, `expect-${++files}.json`);
  const text = typeof entries === 'string' ? entries : JSON.stringify({ version: 1, expected: entries }, null, 2);
  await fs.writeFile(file, text);
  return file;
}

/** One entry per failing scenario: the first by its key, the others by name. */
const correct = (): Entry[] =>
  failing.map((s, i) => ({ backend: STORE, scenario: i === 0 ? s.key : s.name, reason: REASON }));

async function conformance(name: string, args: readonly string[], tags = TAGS) {
  const reportDir = path.join(DIR, name);
  const result = await wfstore(['conformance', '--tags', tags, '--report-dir', reportDir, ...args]);
  const file = path.join(reportDir, 'summary.json');
  const summary = existsSync(file) ? (JSON.parse(await fs.readFile(file, 'utf8')) as ConformanceSummary) : undefined;
  return { ...result, summary, reportDir };
}

const cellsOf = (summary: ConformanceSummary, column: string) =>
  summary.requirements.flatMap((r) => r.scenarios.map((s) => ({ scenario: s, cell: s.cells[column]! })));

before(async () => {
  await fs.rm(DIR, { recursive: true, force: true });
  await fs.mkdir(DIR, { recursive: true });
  broken = await mutantModule(STORE, 'memory', path.join(DIR, 'modules'));
  // The same store with nothing broken, under the same name: its expected failures now pass.
  fixed = await fixedModule(STORE, 'memory', path.join(DIR, 'modules'));
  const plain = await conformance('plain', ['--store', broken]);
  assert.equal(plain.status, 1, plain.stderr);
  const cells = cellsOf(plain.summary!, STORE);
  failing = cells.filter((c) => c.cell.status === 'failed').map((c) => c.scenario);
  passing = cells.filter((c) => c.cell.status === 'passed').map((c) => c.scenario);
  assert.ok(failing.length >= 2 && passing.length >= 1, 'the store fails some scenarios and passes some');
});

describe('--expect', { timeout: 900_000 }, () => {
  it('a correct file passes with the failing store; each failure marked expected, with its reason', async () => {
    const run = await conformance('correct', ['--store', broken, '--expect', await expectFile(correct())]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const summary = run.summary!;
    assert.equal(summary.failed, 0);
    assert.equal(summary.expectedFailures, failing.length);
    const expected = cellsOf(summary, STORE).filter((c) => c.cell.expected !== undefined);
    assert.deepEqual(
      expected.map((c) => [c.scenario.key, c.cell.status, c.cell.expected]),
      failing.map((s) => [s.key, 'failed', REASON]),
    );
    for (const s of failing)
      assert.ok(run.stdout.includes(`⊘ [${STORE}] REQ-CONTRACT-SEQUENCE › ${s.name}: ${REASON}`));
    assert.match(run.stdout, /conformance: \d+ passed, 0 failed\s*$/);
    const { html, junit } = await readReport(run.reportDir);
    // Scenario cells only (they carry the reason as their title), not the requirement's or the rules' verdicts.
    assert.equal(html.match(/data-status="expected-failure" title="expected: /g)?.length, failing.length);
    assert.equal(html.match(/<article class="expected"/g)?.length, failing.length);
    const suite = checkJunitStructure(junit).find((s) => s.attributes.name === STORE)!;
    assert.equal(suite.attributes.failures, '0');
    const skipped = suite.children.filter((c) => c.children.some((x) => x.name === 'skipped'));
    assert.deepEqual(
      skipped.map((c) => [c.attributes.name, c.children[0]!.text]),
      failing.map((s) => [s.name, `expected failure: ${REASON}`]),
    );
  });

  it('wfstore report expect writes the file from a failing run: with it the same run passes', async () => {
    const made = await wfstore(['report', 'expect', path.join(DIR, 'plain'), '--reason', REASON]);
    assert.equal(made.status, 0, made.stderr);
    const written = JSON.parse(made.stdout) as { version: number; expected: Entry[] };
    assert.deepEqual(
      written.expected,
      failing.map((s) => ({ backend: STORE, scenario: s.name, reason: REASON })),
    );
    const run = await conformance('generated', ['--store', broken, '--expect', await expectFile(made.stdout)]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.summary!.expectedFailures, failing.length);
    const none = await wfstore(['report', 'expect', path.join(DIR, 'plain'), '--reason', 'x', '--backend', 'other']);
    assert.match(none.stderr, /no failing scenario on other/);
    const missing = await wfstore(['report', 'expect', path.join(DIR, 'nowhere'), '--reason', 'x']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /report expect .*nowhere: is not a wfstore summary\.json/);
  });

  it('a rule entry covers the failing scenarios that check the rule', async () => {
    const rule = failing[0]!.rules[0]!;
    const rest = failing.filter((s) => !s.rules.includes(rule));
    const entries = [
      { backend: STORE, rule, reason: REASON },
      ...rest.map((s) => ({ backend: STORE, scenario: s.name, reason: REASON })),
    ];
    const run = await conformance('rule', ['--store', broken, '--expect', await expectFile(entries)]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.summary!.expectedFailures, failing.length);
  });

  it('one wrong entry (a scenario the store passes) fails the run, and the output names it', async () => {
    const wrong = passing[0]!;
    const entries = [...correct(), { backend: STORE, scenario: wrong.name, reason: 'wrong' }];
    const file = await expectFile(entries);
    const run = await conformance('wrong', ['--store', broken, '--expect', file]);
    assert.equal(run.status, 1);
    const named = `expected[${failing.length}] (${STORE}, ${wrong.name})`;
    assert.ok(run.stdout.includes(`✖ ${named} in ${file} now passes: remove this expectation`), run.stdout);
    assert.deepEqual(
      run.summary!.staleExpectations.map((s) => s.entry),
      [named],
    );
    assert.equal(run.summary!.success, false);
    // The table and junit.xml agree with the exit code: a CI server's test view shows the entry failing.
    assert.match(run.stdout, /passed, 0 failed, \d+ ⊘, 1 expectation\(s\) to remove/);
    const { junit } = await readReport(run.reportDir);
    const suite = checkJunitStructure(junit).find((s) => s.attributes.name === STORE)!;
    assert.equal(suite.attributes.failures, '1');
    const stale = suite.children.filter((c) => c.children.some((e) => e.name === 'failure'));
    assert.deepEqual(
      stale.map((c) => [c.attributes.classname, c.attributes.name]),
      [['expectations', named]],
    );
  });

  it('a failure the file does not list fails the run, marked "not expected"', async () => {
    const file = await expectFile(correct().slice(1));
    const run = await conformance('missing', ['--store', broken, '--expect', file]);
    assert.equal(run.status, 1);
    assert.equal(run.summary!.failed, 1);
    const rules = failing[0]!.rules.join(' ');
    const head = `✖ [${STORE}] ${rules}: REQ-CONTRACT-SEQUENCE › ${failing[0]!.name} — not expected (${file})`;
    assert.ok(run.stdout.includes(head), run.stdout);
    const { html } = await readReport(run.reportDir);
    assert.equal(html.match(/class="cell failed regression"/g)?.length, 1);
  });

  it('scenarios that start passing fail the run with "remove this expectation", each entry named', async () => {
    const file = await expectFile(correct());
    const run = await conformance('fixed', ['--store', fixed, '--expect', file]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.equal(run.summary!.failed, 0);
    const lines = run.stdout.split('\n').filter((l) => l.endsWith('now passes: remove this expectation'));
    assert.equal(lines.length, failing.length);
    failing.forEach((s, i) => {
      const entry = `expected[${i}] (${STORE}, ${i === 0 ? s.key : s.name})`;
      assert.ok(lines[i]!.includes(entry), lines[i]);
    });
    assert.match(run.stdout, new RegExp(`conformance: \\d+ passed, ${failing.length} failed\\s*$`));
  });

  it("entries for another shard's backend or scenarios are left alone", async () => {
    const elsewhere = (await loadScenarios(PACKAGE_ROOT)).find((r) => !r.tags.includes(TAGS))!;
    const entries = [
      ...correct(),
      { backend: 'sqlite', scenario: passing[0]!.name, reason: 'the sqlite shard decides' },
      { backend: STORE, scenario: elsewhere.name, reason: 'outside --tags' },
    ];
    const run = await conformance('elsewhere', ['--store', broken, '--expect', await expectFile(entries)]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.summary!.staleExpectations, []);
  });
});

describe('--expect: a mistake in the file stops before anything runs, with one line naming it', () => {
  const cases: [string, () => Entry[] | string, RegExp][] = [
    ['not JSON', () => '{ "version": 1, "expected": [', /cannot be read as JSON/],
    ['not the format', () => '{ "expected": [] }', /must be \{ "version": 1, "expected": \[ … \] \}/],
    [
      'no reason',
      () => [{ backend: STORE, scenario: failing[0]!.name, reason: ' ' }],
      /expected\[0\]\.reason must say why/,
    ],
    [
      'a scenario and a rule',
      () => [{ backend: STORE, scenario: failing[0]!.name, rule: 'WF-SEQ-1', reason: REASON }],
      /expected\[0\] must give exactly one of "scenario" and "rule"/,
    ],
    [
      'a scenario that does not exist',
      () => [{ backend: STORE, scenario: 'Events fly', reason: REASON }, ...correct()],
      /expected\[0\] \(events-newest-first, Events fly\): no such scenario in the features/,
    ],
    [
      'a rule that does not exist',
      () => [{ backend: STORE, rule: 'WF-SEQ-99', reason: REASON }],
      /expected\[0\] \(events-newest-first, WF-SEQ-99\): no such rule in the features/,
    ],
    [
      'a backend that does not exist',
      () => [{ backend: 'mongo', scenario: failing[0]!.name, reason: REASON }],
      /expected\[0\] \(mongo, .*\): no backend "mongo" \(there are sqlite, events-newest-first, /,
    ],
  ];
  for (const [what, entries, says] of cases) {
    it(what, async () => {
      const made = entries();
      const text = typeof made === 'string' ? made : JSON.stringify({ version: 1, expected: made });
      const file = await expectFile(text);
      const name = `mistake-${files}`;
      const run = await conformance(name, ['--store', broken, '--backends', 'sqlite', '--expect', file]);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.ok(lines[0]!.startsWith(`wfstore: --expect ${file}: `), lines[0]);
      assert.match(lines[0]!, says);
      assert.equal(existsSync(run.reportDir), false, 'nothing ran');
    });
  }
});

describe('shards with expectations merged equal one run with them', { timeout: 900_000 }, () => {
  it('expectations given to each shard, or to the merge: the same report', async () => {
    // One entry the sqlite shard finds out of date: the merged report must still say so.
    const file = await expectFile([...correct(), { backend: 'sqlite', scenario: passing[0]!.name, reason: 'stale' }]);
    const [single, storeShard, sqliteShard, plainStore, plainSqlite] = await Promise.all([
      conformance('one-run', ['--store', broken, '--backends', 'sqlite', '--expect', file]),
      conformance('shard-store', ['--store', broken, '--expect', file]),
      conformance('shard-sqlite', ['--backends', 'sqlite', '--expect', file]),
      conformance('plain-store', ['--store', broken]),
      conformance('plain-sqlite', ['--backends', 'sqlite']),
    ]);
    assert.deepEqual(
      [single, storeShard, sqliteShard, plainStore, plainSqlite].map((r) => r.status),
      [1, 0, 1, 1, 0],
    );
    const one = await readReport(single.reportDir);
    const merges = [
      [[storeShard.reportDir, sqliteShard.reportDir], []],
      [
        [plainSqlite.reportDir, plainStore.reportDir],
        ['--expect', file],
      ],
    ] as const;
    // The sqlite column is judged by the latest contract, the store (which declares none) by 1.1.
    for (const [i, [dirs, options]] of merges.entries()) {
      const out = path.join(DIR, `merged-${i}`);
      const merged = await wfstore(['report', 'merge', ...dirs, '--out', out, '--allow-mixed-contracts', ...options]);
      assert.equal(merged.status, 1, merged.stderr);
      assert.ok(merged.stdout.includes(`(sqlite, ${passing[0]!.name}) in ${file} now passes: remove this expectation`));
      const report = await readReport(out);
      assert.equal(htmlWithoutTimes(report.html, 2), htmlWithoutTimes(one.html, 2), `merge ${i}: index.html`);
      assert.deepEqual(summaryWithoutTimes(report.summary), summaryWithoutTimes(one.summary), `merge ${i}: summary`);
      assert.equal(junitWithoutTimes(report.junit), junitWithoutTimes(one.junit), `merge ${i}: junit.xml`);
    }
  });
});

describe('--baseline', { timeout: 900_000 }, () => {
  it('newly failing, newly passing, newly applicable: in summary.json, the terminal and the HTML', async () => {
    // The baseline: the fixed store, without the WF-SEQ-3 scenarios.
    const base = await conformance('base', ['--store', fixed, '--backends', 'sqlite'], `${TAGS} and not @WF-SEQ-3`);
    assert.equal(base.status, 0, base.stderr);
    const baseline = path.join(base.reportDir, 'summary.json');
    const now = await conformance('against-base', ['--store', broken, '--backends', 'sqlite', '--baseline', baseline]);
    assert.equal(now.status, 1);
    const wasThere = new Set(base.summary!.requirements.flatMap((r) => r.scenarios.map((s) => s.key)));
    for (const column of ['sqlite', STORE]) {
      for (const { scenario, cell } of cellsOf(now.summary!, column)) {
        const change = !wasThere.has(scenario.key)
          ? cell.status === 'not-applicable'
            ? undefined
            : 'newly-applicable'
          : cell.status === 'failed'
            ? 'newly-failing'
            : undefined;
        assert.equal(cell.change, change, `[${column}] ${scenario.name}`);
        if (change) assert.ok(now.stdout.includes(`${change} since ${baseline}: [${column}] ${scenario.name}`));
      }
    }
    const { html } = await readReport(now.reportDir);
    assert.equal(html.match(/data-change="newly-failing"/g)?.length, failing.length);
    // And back: the fixed store against the broken one's report (its directory: the summary.json in it).
    const back = await conformance('back', ['--store', fixed, '--baseline', now.reportDir]);
    const passingNow = cellsOf(back.summary!, STORE).filter((c) => c.cell.change === 'newly-passing');
    assert.deepEqual(
      passingNow.map((c) => c.scenario.key),
      failing.map((s) => s.key),
    );
    assert.match(back.stdout, /REQ-CONTRACT-SEQUENCE +✔ \d+\/\d+ \(↑\d+\)/);
  });
});

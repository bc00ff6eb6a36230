// What the renderers show of a report built from findings made by hand: a failure said in one line where
// one line is all there is (JUnit's message), a diff cut around what differs, legends of what is used.

import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, it } from 'node:test';
import { buildReport } from '../../src/report/build.js';
import { annotations } from '../../src/report/render/github.js';
import { renderHtml } from '../../src/report/render/html.js';
import { renderJunit } from '../../src/report/render/junit.js';
import * as terminal from '../../src/report/render/terminal.js';
import { type Cell, type ConformanceSummary, DID_NOT_RUN, standingCell } from '../../src/report/summary.js';
import { findings, parseXml, STORE } from './support.js';

/** What node's assert.deepEqual says of two arrays of 14 objects that differ in the last one. */
// The terminal colours its text where picocolors sees a terminal or CI=true; these read the words only.
const plain =
  <A extends unknown[]>(render: (...args: A) => string) =>
  (...args: A): string =>
    stripVTControlCharacters(render(...args));
const renderFailures = plain(terminal.renderFailures);
const renderRecommendations = plain(terminal.renderRecommendations);
const renderSummary = plain(terminal.renderSummary);
const renderTable = plain(terminal.renderTable);
const renderUpgrades = plain(terminal.renderUpgrades);

function longDiff(): string {
  const lines = ['Expected values to be strictly deep-equal:', '+ actual - expected', '', '  ['];
  for (let i = 1; i < 14; i++) lines.push('    {', `      sequence: ${i}`, '    },');
  lines.push('    {', '+     sequence: 15', '-     sequence: 14', '    }', '  ]');
  return lines.join('\n');
}

describe('a failure in one line, and a diff cut around what differs', () => {
  it("JUnit's failure message names the step and what failed, not node's first line", () => {
    const cell: Cell = { status: 'failed', step: 'Then the event log of run "r1" is:', message: longDiff() };
    const xml = renderJunit(buildReport(findings([cell])));
    const failure = parseXml(xml)
      .children[0]!.children.find((c) => c.name === 'testcase')!
      .children.find((c) => c.name === 'failure')!;
    assert.doesNotMatch(failure.attributes.message!, /Expected values to be/);
    assert.equal(
      failure.attributes.message,
      'Then the event log of run "r1" is:: the store returned sequence: 15, the contract expects sequence: 14',
    );
    assert.match(failure.text, /\+ {5}sequence: 15/, 'the whole message is the failure text');
  });

  it('"0 !== 10000" in one line says which side is the store\'s', () => {
    const cell: Cell = { status: 'failed', message: 'Expected values to be strictly equal:\n\n0 !== 10000\n' };
    const failure = /<failure message="([^"]*)"/.exec(renderJunit(buildReport(findings([cell]))))?.[1];
    assert.equal(failure, 'the store returned 0, the contract expects 10000');
  });

  it('the terminal keeps the lines of a long diff that differ', () => {
    const cell: Cell = { status: 'failed', step: 'Then the event log of run "r1" is:', message: longDiff() };
    const text = renderSummary(buildReport(findings([cell])), 'reports');
    assert.match(text, /\+ {5}sequence: 15/);
    assert.match(text, /- {5}sequence: 14/);
    assert.ok(text.split('\n').filter((l) => l.startsWith('    ') && !l.includes('at step')).length <= 9);
  });
});

describe('a column whose run failed outside its scenarios', () => {
  it('the totals row and the last line count the same failures, the run error apart', () => {
    const didNotRun: Cell = { status: 'failed', step: DID_NOT_RUN, message: 'the run stopped before this scenario' };
    const input = findings([didNotRun, didNotRun]);
    input.columns[0]!.error = 'the initializer "my-store": createStore() failed: cannot connect';
    const report = buildReport(input);
    const text = renderSummary(report, 'reports');
    const footer = text.split('\n').find((l) => l.startsWith('scenarios'))!;
    const last = text.split('\n').at(-1)!;
    assert.match(footer, /0 passed, 2 failed, run error/);
    assert.equal(last, 'conformance: 0 passed, 2 failed, 1 run error(s) (above the failures)');
    assert.equal(report.summary.success, false);
  });
});

describe('legends', () => {
  const legendLines = (text: string) =>
    text.split('\n').filter((l) => /^(✔|✖|▲|○|–|»|·|⊘|since) /.test(l) || l.includes('  ○ skipped'));

  it('list only the markings the report uses: a run where everything passed explains ✔ alone', () => {
    const report = buildReport(findings([{ status: 'passed' }, { status: 'passed' }]), {
      expectations: { file: 'expect.json', entries: [] },
    });
    assert.deepEqual(legendLines(renderTable(report)), ['✔ passed']);
    const html = renderHtml(report);
    const legends = [...html.matchAll(/<p class="legend"[^>]*>(.*?)<\/p>/g)].map((m) => m[1]);
    assert.deepEqual(legends, ['passed. Each scenario names the rules it checks.']);
  });

  it('a failure, a skip and an expected failure: each explained, nothing else', () => {
    const report = buildReport(
      findings([
        { status: 'failed', message: 'no' },
        { status: 'skipped', message: 'why' },
        { status: 'failed', message: 'known' },
      ]),
      { expectations: { file: 'expect.json', entries: [{ backend: STORE, scenario: 'scenario 3', reason: 'r' }] } },
    );
    assert.deepEqual(legendLines(renderTable(report)), [
      '✖ a MUST rule failed  ○ skipped',
      '⊘ only expected failures (expect.json)',
    ]);
    const html = renderHtml(report);
    assert.match(html, /<p class="legend"><strong>failed<\/strong>: a MUST rule was broken · skipped\. /);
    assert.match(html, /id="markings">.*expected.*not expected/);
    assert.doesNotMatch(html, /recommended<\/strong>: every MUST/);
  });
});

/** A failed property scenario checking a MUST rule and a SHOULD rule (as WF-ALL-1 and WF-OUT-4). */
function propertyFailure() {
  const input = findings([{ status: 'failed', step: 'Then every result agrees', message: 'differs from the model' }]);
  input.requirements[0]!.scenarios[0]!.rules = ['WF-A-1', 'WF-B-4'];
  input.rules = [
    { id: 'WF-A-1', level: 'MUST', text: 'a rule' },
    { id: 'WF-B-4', level: 'SHOULD', text: 'a recommendation' },
  ] as ConformanceSummary['rules'];
  return buildReport(input);
}

describe('a failure is headed with the MUST rule it breaks', () => {
  it('not with a SHOULD rule the scenario also checks, which is not failed', () => {
    const report = propertyFailure();
    const head = renderFailures(report).split('\n')[0]!;
    assert.match(head, /^✖ \[my-store\] WF-A-1: REQ-A › scenario 1/);
    assert.doesNotMatch(head, /WF-B-4/);
    assert.equal(report.rules['WF-A-1']![STORE], 'failed');
    assert.notEqual(report.rules['WF-B-4']![STORE], 'failed');
    assert.match(renderHtml(report), /breaks <a class="rule" href="#wf-a-1">WF-A-1<\/a><\/p>/);
  });
});

describe('GitHub annotations', () => {
  const cwd = path.join(os.tmpdir(), 'a-project');
  it("a store's project: no file in node_modules; the title names the rule, the message where to read it", () => {
    const [line] = annotations(propertyFailure(), path.join(cwd, 'node_modules', 'wfstore'), cwd);
    assert.doesNotMatch(line!, /file=/);
    assert.match(line!, /^::error title=\[my-store\] WF-A-1%3A scenario 1::/);
    assert.match(line!, /breaks WF-A-1 \(node_modules\/wfstore\/docs\/contract\.md#wf-a-1\)/);
    assert.match(line!, /scenario: node_modules\/wfstore\/features\/a\.feature:1/);
  });

  it("wfstore's own checkout: the scenario's line in the feature file", () => {
    const [line] = annotations(propertyFailure(), cwd, cwd);
    assert.match(line!, /^::error file=features\/a\.feature,line=1,title=/);
  });
});

describe('a SHOULD rule not followed in a scenario later than the version judged', () => {
  function laterWithRecommendation() {
    const cell: Cell = {
      status: 'passed',
      recommendations: [{ rule: 'WF-ERR-4', message: 'the error\'s "field" is "": it does not hold the path "input"' }],
    };
    // As the summary stands it: run, later than the version the column is judged by.
    const input = findings([standingCell(cell, { kind: 'later', version: '1.1' })]);
    input.contract = { latest: '1.1' };
    input.columns[0]!.contract = { declared: '1.0', judged: '1.0', features: [] };
    input.rules = [
      { id: 'WF-A-1', level: 'MUST', text: 'a rule', since: '1.1' },
      { id: 'WF-ERR-4', level: 'SHOULD', text: 'field paths', since: '1.0' },
    ] as ConformanceSummary['rules'];
    return buildReport(input);
  }

  it('is not listed as not followed (the scenario counts for nothing), and the upgrade says it would not be', () => {
    const report = laterWithRecommendation();
    assert.equal(renderRecommendations(report), '');
    assert.match(
      renderUpgrades(report),
      /all would pass; a SHOULD rule would not be followed in the scenarios of WF-A-1/,
    );
    assert.equal(report.upgrades[0]!.rules[0]!.would, 'warn');
  });
});

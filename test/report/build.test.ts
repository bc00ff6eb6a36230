// The report builder on findings made by hand: marks, counts and verdicts decided once, the findings left
// as they were, and what the renderers show taken from it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport, reportOf } from '../../src/report/build.js';
import { renderHtml } from '../../src/report/render/html.js';
import { renderSummary } from '../../src/report/render/terminal.js';
import type { Cell, ConformanceSummary } from '../../src/report/summary.js';
import { findings, STORE } from './support.js';

const failed: Cell = { status: 'failed', step: 'Then it holds', message: 'it did not' };
const passed: Cell = { status: 'passed' };
const warned: Cell = { status: 'warned', recommendations: [{ rule: 'WF-A-1', message: 'not followed' }] };

describe('buildReport', () => {
  it('counts, judges and leaves the findings unchanged', () => {
    const input = findings([failed, passed]);
    const before = structuredClone(input);
    const report = buildReport(input);
    assert.deepEqual(input, before, 'the findings are not changed');
    assert.equal(report.summary.failed, 1);
    assert.equal(report.summary.passed, 1);
    assert.equal(report.summary.success, false);
    assert.equal(report.verdict, 'failed');
    assert.deepEqual(report.requirements['REQ-A']![STORE], {
      verdict: 'failed',
      passed: 1,
      applicable: 2,
      notRun: false,
    });
    assert.equal(report.rules['WF-A-1']![STORE], 'failed');
    assert.equal(report.columns[STORE]!.verdict, 'failed');
  });

  it('expectations mark a failure expected and list an entry whose cells passed as stale', () => {
    const report = buildReport(findings([failed, passed]), {
      expectations: {
        file: 'expect.json',
        entries: [
          { backend: STORE, scenario: 'scenario 1', reason: 'not yet' },
          { backend: STORE, scenario: 'scenario 2', reason: 'passes now' },
        ],
      },
    });
    const cells = report.summary.requirements[0]!.scenarios.map((s) => s.cells[STORE]!);
    assert.equal(cells[0]!.expected, 'not yet');
    assert.equal(report.summary.failed, 0);
    assert.equal(report.summary.expectedFailures, 1);
    assert.equal(report.summary.staleExpectations.length, 1);
    assert.equal(report.summary.success, false, 'an expectation to remove fails the run');
    assert.equal(report.failed, 1, 'and is counted as a failure');
    assert.equal(report.summary.expectations, 'expect.json');
  });

  it('a baseline marks the cells that changed, and the report lists them', () => {
    const baseline = buildReport(findings([passed, failed])).summary;
    const report = buildReport(findings([failed, passed]), { baseline: { file: 'old', summary: baseline } });
    assert.deepEqual(
      report.changes.map((c) => c.change),
      ['newly-failing', 'newly-passing'],
    );
    assert.equal(report.summary.baseline, 'old');
  });

  it('without comparisons of its own, a merge keeps the marks its shards carried', () => {
    const shard = buildReport(findings([failed]), {
      expectations: { file: 'expect.json', entries: [{ backend: STORE, scenario: 'scenario 1', reason: 'known' }] },
    }).summary;
    const report = buildReport(shard);
    assert.equal(report.summary.requirements[0]!.scenarios[0]!.cells[STORE]!.expected, 'known');
    assert.equal(report.summary.expectedFailures, 1);
    assert.equal(report.summary.success, true);
    assert.equal(report.summary.expectations, 'expect.json');
  });

  it('with --strict a SHOULD rule not followed fails every verdict; without, it is amber', () => {
    const lenient = buildReport(findings([warned, passed]));
    assert.equal(lenient.verdict, 'warned');
    assert.equal(lenient.requirements['REQ-A']![STORE]!.verdict, 'warned');
    assert.deepEqual([lenient.passed, lenient.failed], [2, 0]);
    const strict = buildReport(findings([warned, passed], true));
    assert.equal(strict.verdict, 'failed');
    assert.equal(strict.requirements['REQ-A']![STORE]!.verdict, 'failed');
    assert.equal(strict.columns[STORE]!.verdict, 'failed');
    assert.deepEqual([strict.passed, strict.failed], [1, 1]);
  });

  it('a summary read back gives the report it was rendered from', () => {
    const report = buildReport(findings([failed, warned]));
    const back = reportOf(JSON.parse(JSON.stringify(report.summary)) as ConformanceSummary);
    assert.equal(renderHtml(back), renderHtml(report));
    assert.equal(renderSummary(back, 'r'), renderSummary(report, 'r'));
  });
});

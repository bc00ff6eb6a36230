// reports/junit.xml: the matrix as JUnit XML, one <testsuite> per backend and one <testcase> per scenario,
// in the shape CI servers read (Jenkins, GitLab): <testsuites> of <testsuite name tests failures errors
// skipped time timestamp> of <testcase classname name time>, with <failure message type> or <skipped>.
// An expected failure is reported as skipped (with its reason); a SHOULD not followed passes with the
// recommendation in <system-out>. Why a case was skipped is the <skipped> element's text: Jenkins' schema
// (junit-4.xsd) allows it no attribute, and GitLab shows that text. An expected failure that now passes fails
// the run, so it is a failing <testcase> of its backend too: a CI server's test view agrees with the exit code.
// A scenario later than the contract version a backend is judged by (or of a feature it does not claim) ran
// and is not counted: skipped, its text saying whether it would pass. Each testsuite's properties name the
// contract version it was judged by, the one it declares, the latest, and the features it claims.

import type { Report } from '../build.js';
import {
  type Cell,
  type ColumnSummary,
  type ConformanceSummary,
  failureLine,
  headlineOf,
  type RequirementSummary,
  wouldText,
  type ScenarioSummary,
  type StaleExpectation,
} from '../summary.js';

const xml = (text: string) =>
  text
    .toWellFormed() // a lone surrogate becomes U+FFFD
    // Characters XML 1.0 cannot hold at all: the point of this pattern.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to replace
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(requirement: RequirementSummary, scenario: ScenarioSummary, cell: Cell, judged: string): string {
  const head =
    `    <testcase classname="${xml(requirement.id)}" name="${xml(scenario.name)}" ` +
    `time="${seconds(cell.durationMs)}"`;
  if (cell.status === 'failed' && cell.expected === undefined) {
    const message = failureLine(cell);
    const body = `${cell.step ? `at step: ${cell.step}\n` : ''}${cell.message ?? ''}`;
    const failure = `<failure message="${xml(message)}" type="AssertionError">${xml(body)}</failure>`;
    return `${head}>\n      ${failure}\n    </testcase>`;
  }
  if (cell.status === 'later' || cell.status === 'not-claimed') {
    const why = cell.status === 'later' ? `after ${judged} (rules since ${cell.after})` : 'a feature not claimed';
    const detail = cell.would === 'fail' ? `: ${headlineOf(cell.message)}` : '';
    const text = xml(`${why}: would ${wouldText(cell.would ?? 'pass')}${detail}`);
    return `${head}>\n      <skipped>${text}</skipped>\n    </testcase>`;
  }
  if (cell.status === 'failed' || cell.status === 'skipped') {
    const why = cell.expected !== undefined ? `expected failure: ${cell.expected}` : (cell.message ?? 'skipped');
    return `${head}>\n      <skipped>${xml(why)}</skipped>\n    </testcase>`;
  }
  if (cell.status === 'warned') {
    const out = (cell.recommendations ?? []).map((r) => `recommended (${r.rule}, SHOULD): ${r.message}`).join('\n');
    return `${head}>\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
  }
  return `${head}/>`;
}

function staleCase(stale: StaleExpectation): string {
  const message = `${stale.entry} now passes: remove this expectation`;
  return (
    `    <testcase classname="expectations" name="${xml(stale.entry)}" time="0.000">\n` +
    `      <failure message="${xml(message)}" type="StaleExpectation">` +
    `${xml(`${message} (${stale.reason})`)}</failure>\n` +
    `    </testcase>`
  );
}

const staleOf = (summary: ConformanceSummary, column: string) =>
  summary.staleExpectations.filter((s) => s.backend === column);

function testsuite(summary: ConformanceSummary, column: ColumnSummary): string {
  const stale = staleOf(summary, column.name);
  const cases: string[] = stale.map(staleCase);
  let tests = stale.length;
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      const cell = scenario.cells[column.name];
      if (cell === undefined || cell.status === 'not-applicable') continue;
      tests++;
      cases.push(testcase(requirement, scenario, cell, column.contract.judged));
    }
  }
  const skipped = column.skipped + column.expectedFailures + column.later + column.notClaimed;
  const errors = column.error ? 1 : 0;
  const attributes =
    `name="${xml(column.name)}" tests="${tests}" failures="${column.failed + stale.length}" errors="${errors}" ` +
    `skipped="${skipped}" time="${seconds(column.durationMs)}" timestamp="${summary.startedAt.slice(0, 19)}"`;
  const error = column.error ? `\n    <system-err>${xml(column.error)}</system-err>` : '';
  const properties = [
    ['contract', column.contract.judged],
    ['contract.declared', column.contract.declared ?? 'none'],
    ['contract.latest', summary.contract.latest],
    ['contract.features', column.contract.features.join(',')],
  ]
    .map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`)
    .join('\n');
  return (
    `  <testsuite ${attributes}>\n    <properties>\n${properties}\n    </properties>\n` +
    `${cases.join('\n')}${error}\n  </testsuite>`
  );
}

export function renderJunit({ summary }: Report): string {
  const suites = summary.columns.map((c) => testsuite(summary, c)).join('\n');
  const stale = summary.columns.reduce((n, c) => n + staleOf(summary, c.name).length, 0);
  const tests = summary.columns.reduce(
    (n, c) => n + c.passed + c.failed + c.warned + c.skipped + c.expectedFailures + c.later + c.notClaimed,
    stale,
  );
  const failures = summary.columns.reduce((n, c) => n + c.failed, stale);
  const errors = summary.columns.filter((c) => c.error).length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="wfstore conformance" tests="${tests}" failures="${failures}" errors="${errors}" ` +
    `time="${seconds(summary.durationMs)}">\n${suites}\n</testsuites>\n`
  );
}

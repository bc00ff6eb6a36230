// reports/index.html: one self-contained page (no scripts, no external files needed to read it). Rows
// are requirements and their scenarios, columns are backends; each scenario names the contract rules it
// checks, linked to their text further down; a failed or amber cell links to what went wrong. With
// --expect, a failure the file lists is shown apart (its reason in its article), and one it does not list
// is marked "not expected"; with --baseline, a cell that changed carries a badge saying how.

import type { ColumnVerdict, Report } from '../build.js';
import { wouldText } from '../summary.js';
import { failingRules, plainText, type Rule, ruleAnchor } from '../../conformance/clauses.js';
import {
  type Cell,
  type Change,
  type ColumnSummary,
  type ConformanceSummary,
  headlineOf,
  type RequirementSummary,
  type ScenarioSummary,
  type Shown,
  shownStatus,
} from '../summary.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LABEL: Record<Shown, string> = {
  passed: 'passed',
  failed: 'failed',
  'expected-failure': 'expected',
  warned: 'recommended',
  skipped: 'skipped',
  'not-applicable': 'n/a',
  later: 'later',
  'not-claimed': 'not claimed',
};

const STYLE = [
  '',
  '  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #fafbfc; }',
  '  body { margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }',
  '  h1 { margin: 0 0 .25rem; font-size: 1.6rem; }',
  '  .verdict { font-size: 1.15rem; font-weight: 600; padding: .5rem .75rem; border-radius: 6px; ' +
    'display: inline-block; }',
  '  .verdict.pass { background: #dcf5e3; color: #14532d; } .verdict.fail { background: #fde2e1; color: #7f1d1d; }',
  '  .verdict.warn { background: #fff1c7; color: #713f12; }',
  '  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; }',
  '  dl.facts dt { color: #5b6475; } dl.facts dd { margin: 0; }',
  '  table { border-collapse: collapse; width: 100%; margin: 1rem 0; background: white; }',
  '  th, td { border: 1px solid #e1e4ea; padding: .35rem .5rem; text-align: left; vertical-align: top; ' +
    'font-size: .9rem; }',
  '  thead th { background: #eef1f6; position: sticky; top: 0; }',
  '  tr.requirement th, tr.requirement td { background: #f3f5f9; font-weight: 600; }',
  '  td.cell { text-align: center; white-space: nowrap; width: 8rem; }',
  '  td.passed { background: #e7f7ec; color: #166534; } ' +
    'td.failed { background: #fbd5d3; color: #991b1b; font-weight: 700; }',
  '  td.warned { background: #fff1c7; color: #854d0e; font-weight: 600; }',
  '  td.skipped { background: #fff8e6; color: #854d0e; } td.not-applicable { color: #9aa1ad; }',
  '  td.failed a { color: #991b1b; } td.warned a { color: #854d0e; }',
  // Striped violet: a failure, but one the expectations file lists; neither green nor red.
  '  .expected-failure { background: repeating-linear-gradient(135deg, #efeafd 0 6px, #e2d9fb 6px 12px); ' +
    'color: #5b21b6; font-style: italic; } .expected-failure a { color: #5b21b6; }',
  '  span.expected-failure { padding: 0 .3rem; border-radius: 3px; }',
  '  td.regression { box-shadow: inset 0 0 0 3px #dc2626; }',
  '  .badge { display: inline-block; font-size: .7rem; font-style: normal; font-weight: 600; ' +
    'margin: .1rem 0 0 .3rem; padding: 0 .3rem; border-radius: 3px; }',
  '  .badge.regression, .badge.newly-failing { background: #b91c1c; color: white; }',
  '  .badge.newly-passing { background: #15803d; color: white; } .badge.newly-applicable { background: #1d4ed8; ' +
    'color: white; }',
  '  article.expected { border-left: 4px solid #7c3aed; background: white; padding: .5rem 1rem; margin: 1rem 0; }',
  '  article.expected .reason, ul.stale li { font-weight: 600; }',
  '  .where { color: #7a8291; font-size: .8rem; margin-left: .5rem; }',
  '  a.rule { font-size: .75rem; margin-left: .35rem; padding: 0 .25rem; border-radius: 3px; ' +
    'background: #eef1f6; color: #334; text-decoration: none; }',
  '  a.rule.should { background: #fff1c7; }',
  '  article.failure { border-left: 4px solid #dc2626; background: white; padding: .5rem 1rem; margin: 1rem 0; }',
  '  article.recommendation { border-left: 4px solid #d97706; background: white; ' +
    'padding: .5rem 1rem; margin: 1rem 0; }',
  '  article pre { white-space: pre-wrap; background: #f8f8fa; padding: .5rem; overflow-x: auto; }',
  '  ul.skips li { margin: .2rem 0; }',
  '  .legend { font-size: .85rem; color: #5b6475; }',
  // Later than the version judged: run and shown, not counted; teal, apart from the verdict colours.
  '  td.later { background: #e3f3f7; color: #0e7490; } td.later.would-fail { color: #9a3412; font-weight: 600; }',
  '  td.later a { color: inherit; } td.not-claimed { color: #9aa1ad; font-style: italic; }',
  '  table.contracts th, table.contracts td { font-size: .85rem; }',
  '  section#upgrade td.would-fail { color: #9a3412; font-weight: 600; }',
  '  section#upgrade td.would-pass { color: #166534; }',
  '  section#upgrade td.would-warn { color: #b45309; }',
  '',
].join('\n');

const LEGEND: [Shown, string][] = [
  ['passed', 'passed'],
  ['failed', '<strong>failed</strong>: a MUST rule was broken'],
  ['warned', '<strong>recommended</strong>: every MUST rule held, a SHOULD rule was not followed'],
  ['skipped', 'skipped'],
  ['not-applicable', 'n/a: does not apply to this backend'],
];

/** Only the markings this report uses: its cells' statuses, and the marks of expectations and a baseline. */
function legend(report: Report): string {
  const { summary } = report;
  const used = new Set(report.shown);
  const basic = LEGEND.filter(([status]) => used.has(status)).map(([, text]) => text);
  const parts: string[] = [];
  if (used.has('expected-failure')) {
    parts.push(
      `<span class="expected-failure">expected</span>: failed, as ${escapeHtml(summary.expectations ?? '')} ` +
        'lists (not counted as a failure; its reason in the list below)',
    );
  }
  if (summary.expectations !== undefined && used.has('failed')) {
    parts.push(`${badge('regression')}: failed and not in that list, a regression`);
  }
  const laterThan = [...new Set(summary.columns.filter((c) => c.later > 0).map((c) => c.contract.judged))];
  if (laterThan.length > 0) {
    parts.push(
      `<span class="later-mark">after ${laterThan.join(', ')}: would pass / would fail</span>: ` +
        'the scenario checks rules later than ' +
        'the version the store is judged by; it ran and is not counted (see Upgrade)',
    );
  }
  if (summary.columns.some((c) => c.notClaimed > 0)) {
    parts.push('not claimed: the scenario checks an optional feature the store does not claim');
  }
  const changes = [...new Set(report.changes.map((c) => c.change))];
  if (changes.length > 0) {
    parts.push(`since the baseline ${escapeHtml(summary.baseline ?? '')}: ${changes.map(badge).join(' ')}`);
  }
  const cells = `<p class="legend">${basic.join(' · ')}. Each scenario names the rules it checks.</p>`;
  return cells + (parts.length ? `<p class="legend" id="markings">${parts.join(' · ')}</p>` : '');
}

const CHANGE_TEXT: Record<Change, string> = {
  'newly-failing': '▼ newly failing',
  'newly-passing': '▲ newly passing',
  'newly-applicable': '+ newly applicable',
};

function badge(kind: Change | 'regression'): string {
  const text = kind === 'regression' ? 'not expected' : CHANGE_TEXT[kind];
  return `<span class="badge ${kind}">${text}</span>`;
}

/** Collects the failure and recommendation articles the matrix cells link to. */
class Details {
  constructor(readonly rules: readonly Rule[]) {}

  readonly failures: string[] = [];
  readonly expected: string[] = [];
  readonly recommendations: string[] = [];
  readonly skips: string[] = [];

  link(column: string, requirement: RequirementSummary, scenario: ScenarioSummary, cell: Cell): string {
    const where = `${escapeHtml(scenario.uri)}:${scenario.line}`;
    const heading = `[${escapeHtml(column)}] ${escapeHtml(requirement.id)} › ${escapeHtml(scenario.name)}`;
    const back = `<a href="#${escapeHtml(requirement.id)}">back to the matrix</a>`;
    if (cell.status === 'failed') {
      const expected = cell.expected !== undefined;
      const list = expected ? this.expected : this.failures;
      const id = `${expected ? 'expected' : 'failure'}-${list.length + 1}`;
      const at = cell.step ? ` — failed at: <strong>${escapeHtml(cell.step)}</strong>` : '';
      const reason = expected ? `<p class="reason">Expected failure: ${escapeHtml(cell.expected!)}</p>` : '';
      const breaks = ruleLinks(failingRules(scenario.rules, this.rules));
      list.push(
        `<article class="${expected ? 'expected' : 'failure'}" id="${id}"><h3>${heading}</h3>${reason}` +
          `<p>${where}${at} — breaks ${breaks}</p><pre>${escapeHtml(cell.message ?? '')}</pre>` +
          `<p><a href="${escapeHtml(column)}/cucumber.html">cucumber's report for ${escapeHtml(column)}</a> · ` +
          `${back}</p></article>`,
      );
      return id;
    }
    const id = `recommendation-${this.recommendations.length + 1}`;
    const items = (cell.recommendations ?? [])
      .map((r) => `<li>${ruleLinks([r.rule], 'SHOULD')} ${escapeHtml(r.message)}</li>`)
      .join('');
    this.recommendations.push(
      `<article class="recommendation" id="${id}"><h3>${heading}</h3><p>${where} — every MUST rule held; ` +
        `recommended (SHOULD) and not followed:</p><ul>${items}</ul><p>${back}</p></article>`,
    );
    return id;
  }
}

function ruleLinks(ids: readonly string[], level?: string): string {
  return ids
    .map(
      (id) => `<a class="rule${level === 'SHOULD' ? ' should' : ''}" href="#${ruleAnchor(id)}">${escapeHtml(id)}</a>`,
    )
    .join('');
}

interface Marks {
  title?: string | undefined;
  /** More classes, each with a leading space. */
  classes?: string;
  change?: Cell['change'];
}

function cellHtml(column: string, status: Shown, content: string, marks: Marks = {}): string {
  const title = marks.title ? ` title="${escapeHtml(marks.title)}"` : '';
  const change = marks.change ? ` data-change="${marks.change}"` : '';
  return (
    `<td class="cell ${status}${marks.classes ?? ''}" data-column="${escapeHtml(column)}" data-status="${status}"` +
    `${change}${title}>${content}</td>`
  );
}

/** A scenario's cell, with its markings: not expected (with --expect), changed since the baseline. */
function scenarioCell(column: string, cell: Cell, link: string | undefined, expectations: boolean): string {
  const shown = shownStatus(cell);
  const regression = expectations && shown === 'failed';
  const content =
    (link ? `<a href="#${link}">${LABEL[shown]}</a>` : LABEL[shown]) +
    (regression ? badge('regression') : '') +
    (cell.change ? badge(cell.change) : '');
  return cellHtml(column, shown, content, {
    title: shown === 'expected-failure' ? `expected: ${cell.expected}` : link ? undefined : cell.message,
    classes: `${regression ? ' regression' : ''}${cell.change ? ` ${cell.change}` : ''}`,
    change: cell.change,
  });
}

/** A later scenario's cell: "after 1.0: would pass / would fail", linked to the column's upgrade. */
function laterCell(column: ColumnSummary, cell: Cell): string {
  const would = cell.would ?? 'pass';
  const text = `after ${column.contract.judged}: would ${would}`;
  const title = would === 'fail' ? `rules since ${cell.after}: ${headlineOf(cell.message)}` : undefined;
  return cellHtml(column.name, 'later', `<a href="#${upgradeAnchor(column.name)}">${escapeHtml(text)}</a>`, {
    title,
    classes: ` would-${would}`,
  });
}

const upgradeAnchor = (column: string) => `upgrade-${column}`;

function scenarioRow(
  requirement: RequirementSummary,
  scenario: ScenarioSummary,
  summary: ConformanceSummary,
  details: Details,
): string {
  const cells = summary.columns.map((columnSummary) => {
    const column = columnSummary.name;
    const cell = scenario.cells[column]!;
    if (cell.status === 'later') return laterCell(columnSummary, cell);
    const linked = cell.status === 'failed' || cell.status === 'warned';
    const link = linked ? details.link(column, requirement, scenario, cell) : undefined;
    if (cell.status === 'skipped') {
      details.skips.push(
        `<li>[${escapeHtml(column)}] ${escapeHtml(scenario.name)}: ${escapeHtml(cell.message ?? '')}</li>`,
      );
    }
    return scenarioCell(column, cell, link, summary.expectations !== undefined);
  });
  const level = scenario.level === 'SHOULD' ? ' <em>(recommended)</em>' : '';
  return (
    `<tr class="scenario"><td><span class="name">${escapeHtml(scenario.name)}</span>` +
    `${level}${ruleLinks(scenario.rules)}` +
    `<span class="where">${escapeHtml(scenario.uri)}:${scenario.line}</span></td>${cells.join('')}</tr>`
  );
}

function matrixRows(report: Report, details: Details): string {
  const { summary } = report;
  const columns = summary.columns.map((c) => c.name);
  const rows: string[] = [];
  for (const requirement of summary.requirements) {
    const counts = columns.map((column) => {
      const { verdict, passed, applicable } = report.requirements[requirement.id]![column]!;
      // A requirement's verdict: styled like a cell, marked apart from the scenario cells it sums up.
      const text = verdict === 'not-applicable' ? 'n/a' : `${passed}/${applicable}`;
      return `<td class="cell ${verdict}" data-verdict="${verdict}">${text}</td>`;
    });
    rows.push(
      `<tr class="requirement" id="${escapeHtml(requirement.id)}">` +
        `<th>${escapeHtml(requirement.id)} — ${escapeHtml(requirement.feature)}</th>${counts.join('')}</tr>`,
    );
    for (const scenario of requirement.scenarios) rows.push(scenarioRow(requirement, scenario, summary, details));
  }
  return rows.join('\n');
}

/** Each rule the scenarios check: its level, its text, and its verdict per column. */
function rulesSection(report: Report): string {
  const { summary } = report;
  const columns = summary.columns.map((c) => c.name);
  const scenarios = summary.requirements.flatMap((r) => r.scenarios);
  const rows = summary.rules.map((rule) => {
    const checking = scenarios.filter((s) => s.rules.includes(rule.id));
    const cells = columns.map((column) => {
      const verdict = report.rules[rule.id]![column]!;
      return cellHtml(column, verdict, LABEL[verdict]);
    });
    const scope = rule.referenceOnly ? ', reference backends' : '';
    const feature = rule.feature ? `, feature ${rule.feature}` : '';
    return (
      `<tr class="rule" id="${ruleAnchor(rule.id)}" data-since="${rule.since}">` +
      `<td><strong>${escapeHtml(rule.id)}</strong> (${rule.level}${scope}, since ${rule.since}${feature}) ` +
      `${escapeHtml(plainText(rule.text))} ` +
      `<span class="where">${checking.length} scenario(s)</span></td>${cells.join('')}</tr>`
    );
  });
  return (
    `<section id="rules"><h2>Rules (docs/contract.md)</h2><table class="rules"><thead><tr><th>Rule</th>` +
    `${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('\n')}</tbody></table></section>`
  );
}

/** A column's totals: its counts, and its scenarios passed and failed as judged (with --strict amber fails). */
function totalsRow(c: ColumnSummary, { verdict: status, passed, failed }: ColumnVerdict): string {
  const expected = c.expectedFailures ? `, ${c.expectedFailures} expected` : '';
  const later = c.later ? `, ${c.later} later (not counted)` : '';
  return (
    `<tr data-column="${escapeHtml(c.name)}" data-passed="${c.passed}" data-failed="${c.failed}" ` +
    `data-later="${c.later}" data-not-claimed="${c.notClaimed}" ` +
    `data-warned="${c.warned}" data-skipped="${c.skipped}" data-not-applicable="${c.notApplicable}" ` +
    `data-expected-failures="${c.expectedFailures}"><th>${escapeHtml(c.name)}</th>` +
    `<td class="${status}">${passed} passed, ${failed} failed${expected}${later}</td>` +
    `<td>${c.warned} with a recommendation not followed</td><td>${c.skipped} skipped</td>` +
    `<td>${c.notApplicable} not applicable</td>` +
    `<td>${(c.durationMs / 1000).toFixed(1)} s</td>` +
    `<td><a href="${escapeHtml(c.reports.html)}">cucumber report</a> · ` +
    `<a href="${escapeHtml(c.reports.messages)}">messages</a> · ` +
    `<a href="${escapeHtml(c.reports.junit)}">JUnit</a></td></tr>` +
    (c.error ? `<tr><td colspan="7" class="failed">the run itself failed: ${escapeHtml(c.error)}</td></tr>` : '')
  );
}

/** Per column: the contract version declared and judged, the features claimed, the store's own name. */
function contractsTable(summary: ConformanceSummary): string {
  const rows = summary.columns.map((c) => {
    const about = [c.contract.about?.name, c.contract.about?.version].filter(Boolean).join(' ');
    return (
      `<tr data-column="${escapeHtml(c.name)}" data-judged="${c.contract.judged}">` +
      `<th>${escapeHtml(c.name)}</th>` +
      `<td>${c.contract.declared === null ? 'none declared' : `declares ${c.contract.declared}`}</td>` +
      `<td>judged by <strong>${c.contract.judged}</strong></td>` +
      `<td>features claimed: ${c.contract.features.length ? escapeHtml(c.contract.features.join(', ')) : 'none'}</td>` +
      `<td>${about ? `store: ${escapeHtml(about)}` : ''}</td></tr>`
    );
  });
  return (
    `<table class="contracts" id="contracts"><caption>Contract versions (latest: ${summary.contract.latest})` +
    `</caption><tbody>${rows.join('')}</tbody></table>`
  );
}

/** "Upgrade to X": per column judged below the latest, the later rules and their scenarios, would pass or fail. */
function upgradeSection(report: Report): string {
  if (report.upgrades.length === 0) return '';
  const to = report.summary.contract.latest;
  const parts = report.upgrades.map((u) => {
    const failing = u.rules.filter((r) => r.would === 'fail').length;
    const rows = u.rules.map((r) => {
      const scenarios = r.scenarios
        .map(
          (s) =>
            `<li class="would-${s.would}">${escapeHtml(s.name)} — would ${wouldText(s.would)}` +
            `${s.message ? `: ${escapeHtml(s.message)}` : ''} ` +
            `<span class="where">${escapeHtml(s.uri)}:${s.line}</span></li>`,
        )
        .join('');
      return (
        `<tr data-rule="${r.id}" data-would="${r.would}"><td>${ruleLinks([r.id], r.level)} (${r.level}, since ` +
        `${r.since})</td><td class="would-${r.would}">would ${wouldText(r.would)}</td>` +
        `<td><ul>${scenarios}</ul></td></tr>`
      );
    });
    return (
      `<h3 id="${escapeHtml(upgradeAnchor(u.column))}">[${escapeHtml(u.column)}] from ${u.from}: ${u.rules.length} ` +
      `rule(s), ${failing} would fail${u.judged === u.from ? '' : ` (judged by ${u.judged}: counted above)`}</h3>` +
      `<table class="upgrade" data-column="${escapeHtml(u.column)}"><tbody>` +
      `${rows.join('')}</tbody></table>`
    );
  });
  return (
    `<section id="upgrade"><h2>Upgrade to ${to}</h2><p>The rules later than the version each store declares ` +
    '(docs/contract.md, "since"), with the scenarios that check them and how they went: run, and counted only ' +
    'where the store was judged by a later version (<code>--contract</code>).</p>' +
    `${parts.join('\n')}</section>`
  );
}

function facts(summary: ConformanceSummary): string {
  const rows: [string, string][] = [
    ...Object.entries(summary.versions),
    ...summary.provisioning.map((p): [string, string] => [`${p.what} provisioning`, `${p.way} (${p.reason})`]),
    ['Date', summary.startedAt],
    ['Duration', `${(summary.durationMs / 1000).toFixed(1)} s${summary.interrupted ? ' (interrupted)' : ''}`],
    ['Mode', summary.strict ? 'strict: a SHOULD rule not followed fails the run' : 'SHOULD rules are recommendations'],
    ...(summary.expectations ? ([['Expected failures', summary.expectations]] as [string, string][]) : []),
    ...(summary.baseline ? ([['Compared with', summary.baseline]] as [string, string][]) : []),
  ];
  const items = rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd>`).join('');
  return `<dl class="facts">${items}</dl>`;
}

/** The expected failures and the expectations to remove (with --expect), the changes (with --baseline). */
function comparisonSections(report: Report, details: Details): string[] {
  const { summary } = report;
  const sections: string[] = [];
  if (summary.expectations !== undefined) {
    sections.push(
      `<section id="expected"><h2>Expected failures (${details.expected.length})</h2>` +
        `<p>Listed in ${escapeHtml(summary.expectations)}: failures, not counted as such.</p>` +
        `${details.expected.join('\n') || '<p>None.</p>'}</section>`,
    );
  }
  if (summary.staleExpectations.length > 0) {
    const items = summary.staleExpectations.map(
      (e) => `<li>${escapeHtml(e.entry)} (${escapeHtml(e.reason)}): now passes — remove this expectation</li>`,
    );
    sections.push(
      `<section id="stale"><h2>Expectations to remove (${items.length})</h2>` +
        `<ul class="stale">${items.join('')}</ul></section>`,
    );
  }
  if (summary.baseline !== undefined) {
    const items = report.changes.map(
      (c) => `<li>${badge(c.change)} [${escapeHtml(c.column)}] ${escapeHtml(c.scenario)}</li>`,
    );
    sections.push(
      `<section id="changes"><h2>Changes since ${escapeHtml(summary.baseline)} (${items.length})</h2>` +
        `${items.length ? `<ul class="changes">${items.join('')}</ul>` : '<p>None.</p>'}</section>`,
    );
  }
  return sections;
}

const VERDICT_CSS = { failed: 'fail', warned: 'warn', passed: 'pass' } as const;

function verdict(report: Report): { css: string; text: string } {
  const { summary } = report;
  const css = VERDICT_CSS[report.verdict];
  const parts = [`${summary.passed + summary.warned} passed`, `${summary.failed} failed`];
  if (summary.warned) parts.push(`${summary.warned} with a recommendation not followed`);
  if (summary.expectedFailures) parts.push(`${summary.expectedFailures} expected failure(s)`);
  const stale = summary.staleExpectations.length;
  if (stale) parts.push(`${stale} expectation(s) to remove`);
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  const errors = summary.columns.filter((c) => c.error).length;
  if (errors) parts.push(`${errors} run error(s)`);
  if (summary.interrupted) parts.push('interrupted');
  return { css, text: parts.join(', ') };
}

export function renderHtml(report: Report): string {
  const { summary } = report;
  const details = new Details(summary.rules);
  const rows = matrixRows(report, details);
  const { css, text } = verdict(report);
  const columns = summary.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join('');
  const skips = details.skips.length
    ? `<section id="skipped"><h2>Skipped (${details.skips.length})</h2>` +
      `<ul class="skips">${details.skips.join('')}</ul></section>`
    : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">' +
      `<title>wfstore conformance — ${summary.success ? 'passed' : 'failed'}</title>`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>`,
    '<body>',
    '<header>',
    '<h1>wfstore conformance</h1>',
    `<p class="verdict ${css}" id="verdict">${escapeHtml(text)}</p>`,
    facts(summary),
    contractsTable(summary),
    `<table class="totals" id="totals"><tbody>` +
      `${summary.columns.map((c) => totalsRow(c, report.columns[c.name]!)).join('')}</tbody></table>`,
    legend(report),
    '</header>',
    '<main>',
    '<table class="matrix" id="matrix">',
    `<thead><tr><th>Requirement / scenario</th>${columns}</tr></thead>`,
    `<tbody>${rows}</tbody>`,
    '</table>',
    `<section id="failures"><h2>Failures (${details.failures.length})</h2>` +
      `${details.failures.join('\n') || '<p>None.</p>'}</section>`,
    ...comparisonSections(report, details),
    `<section id="recommendations"><h2>Recommendations not followed (${details.recommendations.length})</h2>` +
      `${details.recommendations.join('\n') || '<p>None.</p>'}</section>`,
    skips,
    upgradeSection(report),
    rulesSection(report),
    '</main>',
    '</body></html>',
    '',
  ].join('\n');
}

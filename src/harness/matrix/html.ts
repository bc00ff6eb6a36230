// reports/index.html: one self-contained page (no scripts, no external files needed to read it). Rows
// are requirements and their scenarios, columns are backends; each scenario names the contract rules it
// checks, linked to their text further down; a failed or amber cell links to what went wrong.

import type { CellStatus } from './results.js';
import { plainText, ruleAnchor } from './rules.js';
import {
  type Cell,
  type ColumnSummary,
  type ConformanceSummary,
  type RequirementSummary,
  ruleVerdict,
  type ScenarioSummary,
  verdictOf,
} from './summary.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LABEL: Record<CellStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  warned: 'recommended',
  skipped: 'skipped',
  'not-applicable': 'n/a',
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
  '',
].join('\n');

const LEGEND =
  '<p class="legend">passed · <strong>failed</strong>: a MUST rule was broken · ' +
  '<strong>recommended</strong>: every MUST rule held, a SHOULD rule was not followed · ' +
  'skipped · n/a: does not apply to this backend. Each scenario names the rules it checks.</p>';

/** Collects the failure and recommendation articles the matrix cells link to. */
class Details {
  readonly failures: string[] = [];
  readonly recommendations: string[] = [];
  readonly skips: string[] = [];

  link(column: string, requirement: RequirementSummary, scenario: ScenarioSummary, cell: Cell): string {
    const where = `${escapeHtml(scenario.uri)}:${scenario.line}`;
    const heading = `[${escapeHtml(column)}] ${escapeHtml(requirement.id)} › ${escapeHtml(scenario.name)}`;
    const back = `<a href="#${escapeHtml(requirement.id)}">back to the matrix</a>`;
    if (cell.status === 'failed') {
      const id = `failure-${this.failures.length + 1}`;
      const at = cell.step ? ` — failed at: <strong>${escapeHtml(cell.step)}</strong>` : '';
      this.failures.push(
        `<article class="failure" id="${id}"><h3>${heading}</h3><p>${where}${at} ${ruleLinks(scenario.rules)}</p>` +
          `<pre>${escapeHtml(cell.message ?? '')}</pre>` +
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

function cellHtml(column: string, status: CellStatus, content: string, title?: string): string {
  const t = title ? ` title="${escapeHtml(title)}"` : '';
  return `<td class="cell ${status}" data-column="${escapeHtml(column)}" data-status="${status}"${t}>${content}</td>`;
}

function scenarioRow(
  requirement: RequirementSummary,
  scenario: ScenarioSummary,
  columns: readonly string[],
  details: Details,
): string {
  const cells = columns.map((column) => {
    const cell = scenario.cells[column]!;
    if (cell.status === 'failed' || cell.status === 'warned') {
      const id = details.link(column, requirement, scenario, cell);
      return cellHtml(column, cell.status, `<a href="#${id}">${LABEL[cell.status]}</a>`);
    }
    if (cell.status === 'skipped') {
      details.skips.push(
        `<li>[${escapeHtml(column)}] ${escapeHtml(scenario.name)}: ${escapeHtml(cell.message ?? '')}</li>`,
      );
    }
    return cellHtml(column, cell.status, LABEL[cell.status], cell.message);
  });
  const level = scenario.level === 'SHOULD' ? ' <em>(recommended)</em>' : '';
  return (
    `<tr class="scenario"><td><span class="name">${escapeHtml(scenario.name)}</span>` +
    `${level}${ruleLinks(scenario.rules)}` +
    `<span class="where">${escapeHtml(scenario.uri)}:${scenario.line}</span></td>${cells.join('')}</tr>`
  );
}

function matrixRows(summary: ConformanceSummary, details: Details): string {
  const columns = summary.columns.map((c) => c.name);
  const rows: string[] = [];
  for (const requirement of summary.requirements) {
    const counts = columns.map((column) => {
      const cells = requirement.scenarios.map((s) => s.cells[column]!);
      const verdict = verdictOf(cells);
      const applicable = cells.filter((c) => c.status !== 'not-applicable');
      const passed = applicable.filter((c) => c.status === 'passed' || c.status === 'warned').length;
      // A requirement's verdict: styled like a cell, marked apart from the scenario cells it sums up.
      const text = verdict === 'not-applicable' ? 'n/a' : `${passed}/${applicable.length}`;
      return `<td class="cell ${verdict}" data-verdict="${verdict}">${text}</td>`;
    });
    rows.push(
      `<tr class="requirement" id="${escapeHtml(requirement.id)}">` +
        `<th>${escapeHtml(requirement.id)} — ${escapeHtml(requirement.feature)}</th>${counts.join('')}</tr>`,
    );
    for (const scenario of requirement.scenarios) rows.push(scenarioRow(requirement, scenario, columns, details));
  }
  return rows.join('\n');
}

/** Each rule the scenarios check: its level, its text, and its verdict per column. */
function rulesSection(summary: ConformanceSummary): string {
  const columns = summary.columns.map((c) => c.name);
  const scenarios = summary.requirements.flatMap((r) => r.scenarios);
  const rows = summary.rules.map((rule) => {
    const checking = scenarios.filter((s) => s.rules.includes(rule.id));
    const cells = columns.map((column) => {
      const verdict = ruleVerdict(rule, scenarios, column);
      return cellHtml(column, verdict, LABEL[verdict]);
    });
    const scope = rule.referenceOnly ? ', reference backends' : '';
    return (
      `<tr class="rule" id="${ruleAnchor(rule.id)}">` +
      `<td><strong>${escapeHtml(rule.id)}</strong> (${rule.level}${scope}) ` +
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

function totalsRow(c: ColumnSummary): string {
  const status = c.failed || c.error ? 'failed' : c.warned ? 'warned' : 'passed';
  return (
    `<tr data-column="${escapeHtml(c.name)}" data-passed="${c.passed}" data-failed="${c.failed}" ` +
    `data-warned="${c.warned}" data-skipped="${c.skipped}" data-not-applicable="${c.notApplicable}">` +
    `<th>${escapeHtml(c.name)}</th><td class="${status}">${c.passed + c.warned} passed, ${c.failed} failed</td>` +
    `<td>${c.warned} with a recommendation not followed</td><td>${c.skipped} skipped</td>` +
    `<td>${c.notApplicable} not applicable</td>` +
    `<td>${(c.durationMs / 1000).toFixed(1)} s</td>` +
    `<td><a href="${escapeHtml(c.reports.html)}">cucumber report</a> · ` +
    `<a href="${escapeHtml(c.reports.messages)}">messages</a> · ` +
    `<a href="${escapeHtml(c.reports.junit)}">JUnit</a></td></tr>` +
    (c.error ? `<tr><td colspan="7" class="failed">the run itself failed: ${escapeHtml(c.error)}</td></tr>` : '')
  );
}

function facts(summary: ConformanceSummary): string {
  const v = summary.versions;
  const rows: [string, string][] = [
    ['wfstore', v.wfstore],
    ['Node.js', v.node],
    ...(v.sqlite ? ([['SQLite', v.sqlite]] as [string, string][]) : []),
    ...(v.postgres ? ([['PostgreSQL', v.postgres]] as [string, string][]) : []),
    ...(summary.postgresProvisioning
      ? ([
          ['PostgreSQL provisioning', `${summary.postgresProvisioning.way} (${summary.postgresProvisioning.reason})`],
        ] as [string, string][])
      : []),
    ['Date', summary.startedAt],
    ['Duration', `${(summary.durationMs / 1000).toFixed(1)} s${summary.interrupted ? ' (interrupted)' : ''}`],
    ['Mode', summary.strict ? 'strict: a SHOULD rule not followed fails the run' : 'SHOULD rules are recommendations'],
  ];
  const items = rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd>`).join('');
  return `<dl class="facts">${items}</dl>`;
}

function verdict(summary: ConformanceSummary): { css: string; text: string } {
  const css = !summary.success ? 'fail' : summary.warned > 0 ? 'warn' : 'pass';
  const parts = [`${summary.passed + summary.warned} passed`, `${summary.failed} failed`];
  if (summary.warned) parts.push(`${summary.warned} with a recommendation not followed`);
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  if (summary.interrupted) parts.push('interrupted');
  return { css, text: parts.join(', ') };
}

export function renderHtml(summary: ConformanceSummary): string {
  const details = new Details();
  const rows = matrixRows(summary, details);
  const { css, text } = verdict(summary);
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
    `<table class="totals" id="totals"><tbody>${summary.columns.map(totalsRow).join('')}</tbody></table>`,
    LEGEND,
    '</header>',
    '<main>',
    '<table class="matrix" id="matrix">',
    `<thead><tr><th>Requirement / scenario</th>${columns}</tr></thead>`,
    `<tbody>${rows}</tbody>`,
    '</table>',
    `<section id="failures"><h2>Failures (${details.failures.length})</h2>` +
      `${details.failures.join('\n') || '<p>None.</p>'}</section>`,
    `<section id="recommendations"><h2>Recommendations not followed (${details.recommendations.length})</h2>` +
      `${details.recommendations.join('\n') || '<p>None.</p>'}</section>`,
    skips,
    rulesSection(summary),
    '</main>',
    '</body></html>',
    '',
  ].join('\n');
}

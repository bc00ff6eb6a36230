// reports/index.html: one self-contained page (no scripts, no external files needed to read it).
// Rows are requirements and their scenarios, columns are backends; a failed cell links to its failure.

import type { Cell, ConformanceSummary } from './summary.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LABEL: Record<Cell['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  'not-applicable': 'n/a',
};

const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #fafbfc; }
  body { margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
  h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
  .verdict { font-size: 1.15rem; font-weight: 600; padding: .5rem .75rem; border-radius: 6px; display: inline-block; }
  .verdict.pass { background: #dcf5e3; color: #14532d; } .verdict.fail { background: #fde2e1; color: #7f1d1d; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; font-size: .9rem; }
  dl.facts dt { color: #5b6475; } dl.facts dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; background: white; }
  th, td { border: 1px solid #e1e4ea; padding: .35rem .5rem; text-align: left; vertical-align: top; font-size: .9rem; }
  thead th { background: #eef1f6; position: sticky; top: 0; }
  tr.requirement th, tr.requirement td { background: #f3f5f9; font-weight: 600; }
  td.cell { text-align: center; white-space: nowrap; width: 8rem; }
  td.passed { background: #e7f7ec; color: #166534; } td.failed { background: #fbd5d3; color: #991b1b; font-weight: 700; }
  td.skipped { background: #fff4d6; color: #854d0e; } td.not-applicable { color: #9aa1ad; }
  td.failed a { color: #991b1b; }
  .where { color: #7a8291; font-size: .8rem; margin-left: .5rem; }
  article.failure { border-left: 4px solid #dc2626; background: white; padding: .5rem 1rem; margin: 1rem 0; }
  article.failure pre { white-space: pre-wrap; background: #f8f8fa; padding: .5rem; overflow-x: auto; }
  ul.skips li { margin: .2rem 0; }
`;

export function renderHtml(summary: ConformanceSummary): string {
  const columns = summary.columns.map((c) => c.name);
  const failures: string[] = [];
  const skips: string[] = [];
  const rows: string[] = [];

  for (const requirement of summary.requirements) {
    const counts = columns.map((column) => {
      const cells = requirement.scenarios.map((s) => s.cells[column]!).filter((c) => c.status !== 'not-applicable');
      if (cells.length === 0) return '<td class="cell not-applicable">n/a</td>';
      const failed = cells.filter((c) => c.status === 'failed').length;
      const passed = cells.filter((c) => c.status === 'passed').length;
      const status = failed > 0 ? 'failed' : cells.some((c) => c.status === 'skipped') ? 'skipped' : 'passed';
      return `<td class="cell ${status}">${passed}/${cells.length}</td>`;
    });
    rows.push(
      `<tr class="requirement" id="${escapeHtml(requirement.id)}"><th>${escapeHtml(requirement.id)} — ${escapeHtml(requirement.feature)}</th>${counts.join('')}</tr>`,
    );
    for (const scenario of requirement.scenarios) {
      const cells = columns.map((column) => {
        const cell = scenario.cells[column]!;
        if (cell.status === 'failed') {
          const id = `failure-${failures.length + 1}`;
          failures.push(
            `<article class="failure" id="${id}"><h3>[${escapeHtml(column)}] ${escapeHtml(requirement.id)} › ${escapeHtml(scenario.name)}</h3>` +
              `<p>${escapeHtml(scenario.uri)}:${scenario.line}${cell.step ? ` — failed at: <strong>${escapeHtml(cell.step)}</strong>` : ''}</p>` +
              `<pre>${escapeHtml(cell.message ?? '')}</pre>` +
              `<p><a href="${escapeHtml(column)}/cucumber.html">cucumber's report for ${escapeHtml(column)}</a> · <a href="#${escapeHtml(requirement.id)}">back to the matrix</a></p></article>`,
          );
          return `<td class="cell failed" data-column="${escapeHtml(column)}" data-status="failed"><a href="#${id}">failed</a></td>`;
        }
        if (cell.status === 'skipped')
          skips.push(
            `<li>[${escapeHtml(column)}] ${escapeHtml(scenario.name)}: ${escapeHtml(cell.message ?? '')}</li>`,
          );
        const title = cell.message ? ` title="${escapeHtml(cell.message)}"` : '';
        return `<td class="cell ${cell.status}" data-column="${escapeHtml(column)}" data-status="${cell.status}"${title}>${LABEL[cell.status]}</td>`;
      });
      rows.push(
        `<tr class="scenario"><td>${escapeHtml(scenario.name)}<span class="where">${escapeHtml(scenario.uri)}:${scenario.line}</span></td>${cells.join('')}</tr>`,
      );
    }
  }

  const totals = summary.columns
    .map(
      (c) =>
        `<tr data-column="${escapeHtml(c.name)}" data-passed="${c.passed}" data-failed="${c.failed}" data-skipped="${c.skipped}" data-not-applicable="${c.notApplicable}">` +
        `<th>${escapeHtml(c.name)}</th><td class="${c.failed || c.error ? 'failed' : 'passed'}">${c.passed} passed, ${c.failed} failed</td>` +
        `<td>${c.skipped} skipped</td><td>${c.notApplicable} not applicable</td><td>${(c.durationMs / 1000).toFixed(1)} s</td>` +
        `<td><a href="${escapeHtml(c.reports.html)}">cucumber report</a> · <a href="${escapeHtml(c.reports.messages)}">messages</a> · <a href="${escapeHtml(c.reports.junit)}">JUnit</a></td></tr>` +
        (c.error ? `<tr><td colspan="6" class="failed">the run itself failed: ${escapeHtml(c.error)}</td></tr>` : ''),
    )
    .join('');

  const pgVersion = summary.versions.postgres === null ? 'not used' : escapeHtml(summary.versions.postgres);
  const provisioning =
    summary.postgresProvisioning === null
      ? '—'
      : `${escapeHtml(summary.postgresProvisioning.way)} (${escapeHtml(summary.postgresProvisioning.reason)})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wfstore conformance — ${summary.success ? 'passed' : 'failed'}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<header>
<h1>wfstore conformance</h1>
<p class="verdict ${summary.success ? 'pass' : 'fail'}" id="verdict">${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}</p>
<dl class="facts">
<dt>wfstore</dt><dd>${escapeHtml(summary.versions.wfstore)}</dd>
<dt>Node.js</dt><dd>${escapeHtml(summary.versions.node)}</dd>
<dt>SQLite</dt><dd>${escapeHtml(summary.versions.sqlite)}</dd>
<dt>PostgreSQL</dt><dd>${pgVersion}</dd>
<dt>PostgreSQL provisioning</dt><dd>${provisioning}</dd>
<dt>Date</dt><dd>${escapeHtml(summary.startedAt)}</dd>
<dt>Duration</dt><dd>${(summary.durationMs / 1000).toFixed(1)} s</dd>
</dl>
<table class="totals" id="totals"><tbody>${totals}</tbody></table>
</header>
<main>
<table class="matrix" id="matrix">
<thead><tr><th>Requirement / scenario</th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
<section id="failures"><h2>Failures (${failures.length})</h2>${failures.join('\n') || '<p>None.</p>'}</section>
${skips.length ? `<section id="skipped"><h2>Skipped (${skips.length})</h2><ul class="skips">${skips.join('')}</ul></section>` : ''}
</main>
</body></html>
`;
}

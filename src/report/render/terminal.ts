// The requirement × backend table for the terminal, and the list of failures and recommendations under it.

import pc from 'picocolors';
import type { Report } from '../build.js';
import { failingRules, plainText } from '../../conformance/clauses.js';
import { type Cell, type Change, contractText, DID_NOT_RUN, isExpectedFailure, type Shown } from '../summary.js';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

const PAINT: Record<Shown, (s: string) => string> = {
  passed: pc.green,
  failed: pc.red,
  'expected-failure': pc.magenta,
  warned: pc.yellow,
  skipped: pc.yellow,
  'not-applicable': pc.dim,
  later: pc.cyan,
  'not-claimed': pc.dim,
};
const MARK: Record<Shown, string> = {
  passed: '✔',
  failed: '✖',
  'expected-failure': '⊘',
  warned: '▲',
  skipped: '○',
  'not-applicable': '–',
  later: '»',
  'not-claimed': '·',
};

/**
 * The notes after a requirement's count: amber (with --strict it is counted failed instead), skipped,
 * expected failures, changes since a baseline.
 */
function notes(applicable: readonly Cell[], strict: boolean): string {
  const count = (test: (c: Cell) => boolean) => applicable.filter(test).length;
  const parts = [
    [strict ? 0 : count((c) => c.status === 'warned'), 'recommended'],
    [count((c) => c.status === 'skipped'), 'skipped'],
    [count((c) => c.status === 'later'), 'later'],
    [count((c) => c.status === 'not-claimed'), 'not claimed'],
    [count(isExpectedFailure), 'expected'],
    [count((c) => c.change === 'newly-failing'), '↓'],
    [count((c) => c.change === 'newly-passing'), '↑'],
    [count((c) => c.change === 'newly-applicable'), '+'],
  ] as const;
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => (what.length === 1 ? `${what}${n}` : `${n} ${what}`))
    .join(', ');
  return text ? ` (${text})` : '';
}

interface Text {
  text: string;
  paint: (s: string) => string;
}

/** The totals row: per column, its scenarios passed and failed as judged, and what else it holds. */
function footerOf(report: Report): Text[] {
  const { summary } = report;
  return [
    { text: 'scenarios', paint: pc.bold },
    ...summary.columns.map((c) => {
      const { verdict, passed, failed } = report.columns[c.name]!;
      const amber = c.warned && !summary.strict ? `, ${c.warned} ▲` : '';
      const expected = c.expectedFailures ? `, ${c.expectedFailures} ⊘` : '';
      const stale = summary.staleExpectations.filter((s) => s.backend === c.name).length;
      const toRemove = stale ? `, ${stale} expectation(s) to remove` : '';
      const skipped = c.skipped ? `, ${c.skipped} skipped` : '';
      const later = c.later ? `, ${c.later} »` : '';
      const notClaimed = c.notClaimed ? `, ${c.notClaimed} ·` : '';
      const error = c.error ? ', run error' : '';
      return {
        text: `${passed} passed, ${failed} failed${error}${amber}${expected}${toRemove}${skipped}${later}${notClaimed}`,
        paint: PAINT[verdict],
      };
    }),
  ];
}

export function renderTable(report: Report): string {
  const { summary } = report;
  const columns = summary.columns.map((c) => c.name);
  const header = ['requirement', ...columns];
  const rows = summary.requirements.map((requirement) => {
    const cells = columns.map((column): Text => {
      const { verdict, passed, applicable, notRun } = report.requirements[requirement.id]![column]!;
      if (verdict === 'not-applicable') return { text: '–', paint: pc.dim };
      if (notRun) return { text: '✖ not run', paint: pc.red };
      const shown = requirement.scenarios.map((s) => s.cells[column]!).filter((c) => c.status !== 'not-applicable');
      if (verdict === 'later' || verdict === 'not-claimed') {
        return { text: `${MARK[verdict]}${notes(shown, summary.strict)}`, paint: PAINT[verdict] };
      }
      return { text: `${MARK[verdict]} ${passed}/${applicable}${notes(shown, summary.strict)}`, paint: PAINT[verdict] };
    });
    return [{ text: requirement.id, paint: (s: string) => s }, ...cells];
  });
  const footer = footerOf(report);
  const contractRow: Text[] = [
    { text: `contract (latest ${summary.contract.latest})`, paint: pc.dim },
    ...summary.columns.map((c) => ({ text: contractText(c.contract), paint: pc.dim })),
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, footer[i]!.text.length, contractRow[i]!.text.length, ...rows.map((r) => r[i]!.text.length)),
  );
  const line = (cells: Text[]) => cells.map((c, i) => c.paint(c.text.padEnd(widths[i]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [
    line(header.map((text) => ({ text, paint: pc.bold }))),
    line(contractRow),
    rule,
    ...rows.map(line),
    rule,
    line(footer),
  ];
  out.push(...legend(report));
  return out.join('\n');
}

const LEGEND: [Shown, string][] = [
  ['passed', '✔ passed'],
  ['failed', '✖ a MUST rule failed'],
  ['warned', '▲ a SHOULD rule not followed (recommended)'],
  ['skipped', '○ skipped'],
  ['not-applicable', '– not applicable'],
];

const CHANGE_MARK: Record<Change, string> = {
  'newly-failing': '↓ newly failing',
  'newly-passing': '↑ newly passing',
  'newly-applicable': '+ newly applicable',
};

/** The legend under the table: only the marks the table shows. */
function legend(report: Report): string[] {
  const { summary } = report;
  const out: string[] = [];
  const used = new Set(report.shown);
  const basic = LEGEND.filter(([status]) => used.has(status)).map(([, text]) => text);
  if (basic.length) out.push(pc.dim(basic.join('  ')));
  const judged = [...new Set(summary.columns.map((c) => c.contract.judged))].join(', ');
  const versions = [
    summary.columns.some((c) => c.later > 0) ? `» after ${judged}: runs, not counted (Upgrade below)` : '',
    summary.columns.some((c) => c.notClaimed > 0) ? '· a feature not claimed' : '',
  ].filter(Boolean);
  if (versions.length) out.push(pc.dim(versions.join('  ')));
  const changes = [...new Set(report.changes.map((c) => c.change))].map((c) => CHANGE_MARK[c]);
  const marks = [
    used.has('expected-failure') ? `⊘ only expected failures (${summary.expectations})` : '',
    changes.length ? `since ${summary.baseline}: ${changes.join('  ')}` : '',
  ].filter(Boolean);
  if (marks.length) out.push(pc.dim(marks.join('  ')));
  return out;
}

/** Per column judged below the latest: the rules after its version, those that would fail named. */
export function renderUpgrades(report: Report): string {
  return report.upgrades
    .map((u) => {
      const failing = u.rules.filter((r) => r.would === 'fail');
      const warning = u.rules.filter((r) => r.would === 'warn').map((r) => r.id);
      const head = `Upgrade to ${u.to} [${u.column}]: ${u.rules.length} rule(s) after ${u.from}, `;
      const should = warning.length
        ? `; a SHOULD rule would not be followed in the scenarios of ${warning.join(', ')}`
        : '';
      if (failing.length === 0) return pc.cyan(`${head}all would pass${should}`);
      const lines = failing.map((r) => {
        const s = r.scenarios.find((x) => x.would === 'fail')!;
        return `    ${r.id} (${r.level}, since ${r.since}): would fail — e.g. "${s.name}": ${s.message ?? ''}`;
      });
      return [pc.cyan(`${head}${failing.length} would fail${should}:`), ...lines].join('\n');
    })
    .join('\n');
}

/** A line of a diff that differs: `+ …` (the store's) or `- …` (the contract's), not the legend above them. */
const DIFFERING = /^[+-] (?!actual - expected)/;

/**
 * Property failures are shown whole (the shrunk calls); other messages are cut to `max` lines, keeping the
 * first line and, in a diff, the lines that differ with a little context: what decides is never cut off.
 */
export function messageLines(message: string, tags: readonly string[], max = 8): string[] {
  const lines = message.split('\n');
  if (tags.includes('@REQ-PROPERTIES') || lines.length <= max) return lines;
  const more = (shown: number) => `… (${lines.length - shown} more line(s) in the report)`;
  const first = lines.findIndex((line, i) => i > 0 && DIFFERING.test(line));
  if (first < 0 || first < max - 1) return [...lines.slice(0, max - 1), more(max - 1)];
  const start = Math.max(1, first - 2);
  const window = lines.slice(start, start + max - 3);
  return [lines[0]!, '…', ...window, more(window.length + 1)];
}

export function renderFailures({ summary }: Report): string {
  const levels = new Map(summary.rules.map((r) => [r.id, r]));
  const out: string[] = [];
  for (const column of summary.columns) {
    if (column.error) out.push(`${pc.red(`✖ [${column.name}] the run itself failed:`)}\n${indent(column.error)}`);
  }
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      // Headed with the rules a failure breaks: the MUST ones, not a SHOULD rule the scenario also checks.
      const rules = failingRules(scenario.rules, levels).join(' ');
      for (const [column, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || cell.step === DID_NOT_RUN || cell.expected !== undefined) continue;
        // With an expectations file, a failure it does not list is a regression: said so.
        const unlisted = summary.expectations !== undefined ? ` — not expected (${summary.expectations})` : '';
        out.push(
          pc.red(`✖ [${column}] ${rules ? `${rules}: ` : ''}${requirement.id} › ${scenario.name}${unlisted}`) +
            pc.dim(`  (${scenario.uri}:${scenario.line})`),
        );
        if (cell.step) out.push(`    at step: ${cell.step}`);
        for (const line of messageLines(cell.message ?? '', scenario.tags)) out.push(`    ${line}`);
      }
    }
  }
  return out.join('\n');
}

/** The SHOULD rules not followed in the judged scenarios, one line per rule and column, with the first example. */
export function renderRecommendations({ summary }: Report): string {
  const byRule = new Map<string, { column: string; scenario: string; message: string; scenarios: Set<string> }>();
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      for (const [column, cell] of Object.entries(scenario.cells)) {
        // A scenario later than the column's version, or of a feature not claimed, counts for nothing.
        if (cell.status === 'later' || cell.status === 'not-claimed') continue;
        for (const r of cell.recommendations ?? []) {
          const key = `${r.rule} ${column}`;
          const seen = byRule.get(key) ?? { column, scenario: scenario.name, message: r.message, scenarios: new Set() };
          seen.scenarios.add(scenario.key);
          byRule.set(key, seen);
        }
      }
    }
  }
  const text = new Map(summary.rules.map((r) => [r.id, r.text]));
  return [...byRule.entries()]
    .map(([key, v]) => {
      const rule = key.split(' ')[0]!;
      const first = v.message.split('\n')[0]!;
      return (
        pc.yellow(`▲ [${v.column}] ${rule} (SHOULD) not followed in ${v.scenarios.size} scenario(s)`) +
        pc.dim(`  ${shorten(text.get(rule) ?? '', 110)}`) +
        `\n    e.g. "${v.scenario}": ${first}`
      );
    })
    .join('\n');
}

function shorten(text: string, max: number): string {
  const plain = plainText(text);
  return plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`;
}

/** Expected failures, expectations to remove, and the changes since a baseline. */
export function renderComparisons(report: Report): string {
  const { summary } = report;
  const out: string[] = [];
  if (summary.expectedFailures > 0) {
    out.push(pc.magenta(`${summary.expectedFailures} expected failure(s), as listed in ${summary.expectations}:`));
    for (const r of summary.requirements)
      for (const s of r.scenarios)
        for (const [column, cell] of Object.entries(s.cells)) {
          if (isExpectedFailure(cell)) out.push(pc.magenta(`⊘ [${column}] ${r.id} › ${s.name}: ${cell.expected}`));
        }
  }
  for (const stale of summary.staleExpectations) {
    out.push(pc.red(`✖ ${stale.entry} in ${summary.expectations} now passes: remove this expectation`));
  }
  for (const c of report.changes) {
    const paint = c.change === 'newly-failing' ? pc.red : c.change === 'newly-passing' ? pc.green : pc.cyan;
    out.push(paint(`${c.change} since ${summary.baseline}: [${c.column}] ${c.scenario}`));
  }
  return out.join('\n');
}

/** Everything the command prints after a run (or a merge), its last line the totals. */
export function renderSummary(report: Report, reportDir: string): string {
  const { summary } = report;
  const out = ['', renderTable(report)];
  const parts = [
    renderFailures(report),
    renderRecommendations(report),
    renderUpgrades(report),
    renderComparisons(report),
  ];
  for (const part of parts) {
    if (part) out.push('', part);
  }
  out.push('', `reports: ${reportDir}/index.html, ${reportDir}/summary.json, ${reportDir}/junit.xml`);
  if (summary.skipped > 0) out.push(pc.yellow(`${summary.skipped} skipped (reasons in the report)`));
  if (summary.interrupted) out.push(pc.red('interrupted: the reports hold what ran before the stop'));
  if (summary.warned > 0) {
    const effect = summary.strict ? 'counted as failed (--strict)' : 'not failures; --strict makes them fail';
    out.push(pc.yellow(`${summary.warned} scenario(s) kept every MUST rule but not a SHOULD rule: ${effect}`));
  }
  const errors = summary.columns.filter((c) => c.error).length;
  const runErrors = errors ? `, ${errors} run error(s) (above the failures)` : '';
  out.push(`conformance: ${report.passed} passed, ${report.failed} failed${runErrors}`);
  return out.join('\n');
}

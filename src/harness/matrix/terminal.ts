// The requirement × backend table for the terminal, and the list of failures and recommendations under it.

import pc from 'picocolors';
import type { CellStatus } from './results.js';
import { changes } from './baseline.js';
import { plainText } from './rules.js';
import { type ConformanceSummary, DID_NOT_RUN, verdictOf } from './summary.js';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

const PAINT: Record<CellStatus, (s: string) => string> = {
  passed: pc.green,
  failed: pc.red,
  warned: pc.yellow,
  skipped: pc.yellow,
  'not-applicable': pc.dim,
};
const MARK: Record<CellStatus, string> = { passed: '✔', failed: '✖', warned: '▲', skipped: '○', 'not-applicable': '–' };

interface Text {
  text: string;
  paint: (s: string) => string;
}

export function renderTable(summary: ConformanceSummary): string {
  const columns = summary.columns.map((c) => c.name);
  const header = ['requirement', ...columns];
  const rows = summary.requirements.map((requirement) => {
    const cells = columns.map((column): Text => {
      // With --strict a SHOULD rule not followed is a failure, in the table as in the count.
      const list = requirement.scenarios
        .map((s) => s.cells[column]!)
        .map((c) => (summary.strict && c.status === 'warned' ? { ...c, status: 'failed' as const } : c));
      const verdict = verdictOf(list);
      if (verdict === 'not-applicable') return { text: '–', paint: pc.dim };
      const applicable = list.filter((c) => c.status !== 'not-applicable');
      const passed = applicable.filter((c) => c.status === 'passed' || c.status === 'warned').length;
      const skipped = applicable.filter((c) => c.status === 'skipped').length;
      const warned = applicable.filter((c) => c.status === 'warned').length;
      if (applicable.every((c) => c.step === DID_NOT_RUN)) return { text: '✖ not run', paint: pc.red };
      const notes = [warned ? `${warned} recommended` : '', skipped ? `${skipped} skipped` : ''].filter(Boolean);
      const text = `${MARK[verdict]} ${passed}/${applicable.length}${notes.length ? ` (${notes.join(', ')})` : ''}`;
      return { text, paint: PAINT[verdict] };
    });
    return [{ text: requirement.id, paint: (s: string) => s }, ...cells];
  });
  const footer: Text[] = [
    { text: 'scenarios', paint: pc.bold },
    ...summary.columns.map((c) => {
      const [passed, failed] = summary.strict ? [c.passed, c.failed + c.warned] : [c.passed + c.warned, c.failed];
      const amber = c.warned && !summary.strict ? `, ${c.warned} ▲` : '';
      return {
        text: `${passed} passed, ${failed} failed${amber}${c.skipped ? `, ${c.skipped} skipped` : ''}`,
        paint: failed > 0 || c.error ? pc.red : c.warned > 0 ? pc.yellow : pc.green,
      };
    }),
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, footer[i]!.text.length, ...rows.map((r) => r[i]!.text.length)),
  );
  const line = (cells: Text[]) => cells.map((c, i) => c.paint(c.text.padEnd(widths[i]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(header.map((text) => ({ text, paint: pc.bold }))), rule, ...rows.map(line), rule, line(footer)];
  out.push(
    pc.dim('✔ passed  ✖ a MUST rule failed  ▲ a SHOULD rule not followed (recommended)  ○ skipped  – not applicable'),
  );
  return out.join('\n');
}

/** Property failures are shown whole (the shrunk calls); other messages are cut after a few lines. */
function messageLines(message: string, tags: readonly string[]): string[] {
  const lines = message.split('\n');
  return tags.includes('@REQ-PROPERTIES') ? lines : lines.slice(0, 8);
}

export function renderFailures(summary: ConformanceSummary): string {
  const out: string[] = [];
  for (const column of summary.columns) {
    if (column.error) out.push(`${pc.red(`✖ [${column.name}] the run itself failed:`)}\n${indent(column.error)}`);
  }
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      const rules = scenario.rules.length ? ` ${scenario.rules.join(' ')}` : '';
      for (const [column, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || cell.step === DID_NOT_RUN || cell.expected !== undefined) continue;
        out.push(
          pc.red(`✖ [${column}] ${requirement.id} › ${scenario.name}`) +
            pc.dim(`  (${scenario.uri}:${scenario.line}${rules})`),
        );
        if (cell.step) out.push(`    at step: ${cell.step}`);
        for (const line of messageLines(cell.message ?? '', scenario.tags)) out.push(`    ${line}`);
      }
    }
  }
  return out.join('\n');
}

/** The SHOULD rules not followed, one line per rule and column, with the first example. */
export function renderRecommendations(summary: ConformanceSummary): string {
  const byRule = new Map<string, { column: string; scenario: string; message: string; scenarios: Set<string> }>();
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      for (const [column, cell] of Object.entries(scenario.cells)) {
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
export function renderComparisons(summary: ConformanceSummary): string {
  const out: string[] = [];
  if (summary.expectedFailures > 0) {
    out.push(pc.dim(`${summary.expectedFailures} expected failure(s), as listed in ${summary.expectations}`));
  }
  for (const stale of summary.staleExpectations) {
    out.push(pc.red(`✖ ${stale.entry} in ${summary.expectations} now passes: remove this expectation`));
  }
  for (const c of changes(summary)) {
    const paint = c.change === 'newly-failing' ? pc.red : c.change === 'newly-passing' ? pc.green : pc.cyan;
    out.push(paint(`${c.change} since ${summary.baseline}: [${c.column}] ${c.scenario}`));
  }
  return out.join('\n');
}

/** Everything the command prints after a run (or a merge), its last line the totals. */
export function renderSummary(summary: ConformanceSummary, reportDir: string): string {
  const out = ['', renderTable(summary)];
  for (const part of [renderFailures(summary), renderRecommendations(summary), renderComparisons(summary)]) {
    if (part) out.push('', part);
  }
  out.push('', `reports: ${reportDir}/index.html, ${reportDir}/summary.json, ${reportDir}/junit.xml`);
  if (summary.skipped > 0) out.push(pc.yellow(`${summary.skipped} skipped (reasons in the report)`));
  if (summary.interrupted) out.push(pc.red('interrupted: the reports hold what ran before the stop'));
  if (summary.warned > 0) {
    const effect = summary.strict ? 'counted as failed (--strict)' : 'not failures; --strict makes them fail';
    out.push(pc.yellow(`${summary.warned} scenario(s) kept every MUST rule but not a SHOULD rule: ${effect}`));
  }
  const passed = summary.passed + (summary.strict ? 0 : summary.warned);
  const failed = summary.failed + (summary.strict ? summary.warned : 0) + summary.staleExpectations.length;
  out.push(`conformance: ${passed} passed, ${failed} failed`);
  return out.join('\n');
}

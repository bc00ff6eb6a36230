// The requirement × backend table for the terminal, and the list of failures under it.

import pc from 'picocolors';
import { DID_NOT_RUN, type ConformanceSummary } from './summary.js';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

export function renderTable(summary: ConformanceSummary): string {
  const columns = summary.columns.map((c) => c.name);
  const header = ['requirement', ...columns];
  const rows = summary.requirements.map((requirement) => {
    const cells = columns.map((column) => {
      const statuses = requirement.scenarios.map((s) => s.cells[column]!.status);
      const applicable = statuses.filter((s) => s !== 'not-applicable');
      if (applicable.length === 0) return { text: '–', paint: pc.dim };
      const failed = applicable.filter((s) => s === 'failed').length;
      const skipped = applicable.filter((s) => s === 'skipped').length;
      const passed = applicable.filter((s) => s === 'passed').length;
      const text = `${failed > 0 ? '✖' : '✔'} ${passed}/${applicable.length}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
      return { text, paint: failed > 0 ? pc.red : skipped > 0 ? pc.yellow : pc.green };
    });
    return [{ text: requirement.id, paint: (s: string) => s }, ...cells];
  });
  const footer = [
    { text: 'scenarios', paint: pc.bold },
    ...summary.columns.map((c) => ({
      text: `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`,
      paint: c.failed > 0 || c.error ? pc.red : pc.green,
    })),
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, footer[i]!.text.length, ...rows.map((r) => r[i]!.text.length)),
  );
  const line = (cells: { text: string; paint: (s: string) => string }[]) =>
    cells.map((c, i) => c.paint(c.text.padEnd(widths[i]!))).join('  ');
  const out = [
    line(header.map((text) => ({ text, paint: pc.bold }))),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
  out.push(widths.map((w) => '─'.repeat(w)).join('  '));
  out.push(line(footer));
  return out.join('\n');
}

export function renderFailures(summary: ConformanceSummary): string {
  const out: string[] = [];
  for (const column of summary.columns) {
    if (column.error) out.push(pc.red(`✖ [${column.name}] the run itself failed:`) + '\n' + indent(column.error));
  }
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      for (const [column, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || cell.step === DID_NOT_RUN) continue;
        out.push(
          pc.red(`✖ [${column}] ${requirement.id} › ${scenario.name}`) + pc.dim(`  (${scenario.uri}:${scenario.line})`),
        );
        if (cell.step) out.push(`    at step: ${cell.step}`);
        for (const line of (cell.message ?? '').split('\n').slice(0, 6)) out.push(`    ${line}`);
      }
    }
  }
  return out.join('\n');
}

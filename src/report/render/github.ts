// On GitHub Actions (GITHUB_ACTIONS=true): a Markdown summary appended to $GITHUB_STEP_SUMMARY, and one
// `::error file=…,line=…::` annotation per failed scenario, pointing at its line in the feature file.
// Elsewhere nothing changes.

import { fromEnvironment } from '../../config.js';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../build.js';
import { contractText, failureLine } from '../summary.js';

/** Annotation values escape %, CR and LF (GitHub's workflow-command syntax); properties also , and :. */
const data = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const property = (text: string) => data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

export function annotations({ summary }: Report, packageRoot: string, cwd: string): string[] {
  const lines: string[] = [];
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      for (const [column, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || cell.expected !== undefined) continue;
        const file = path.relative(cwd, path.join(packageRoot, scenario.uri)).split(path.sep).join('/');
        const title = `[${column}] ${scenario.name}`;
        const message = `${cell.step ? `at step: ${cell.step}\n` : ''}${cell.message ?? ''}`;
        lines.push(`::error file=${property(file)},line=${scenario.line},title=${property(title)}::${data(message)}`);
      }
    }
  }
  for (const stale of summary.staleExpectations) {
    lines.push(
      `::error title=${property('expected failure now passes')}::${data(`${stale.entry}: remove this expectation`)}`,
    );
  }
  return lines;
}

export function markdownSummary(report: Report): string {
  const { summary } = report;
  const verdict = report.verdict === 'failed' ? '❌ failed' : '✅ passed';
  const head =
    '| backend | contract | passed | failed | recommended | expected failures | skipped | later |\n' +
    '|---|---|---|---|---|---|---|---|';
  const rows = summary.columns.map(
    (c) =>
      `| ${c.name} | ${contractText(c.contract)} | ${c.passed + c.warned} ` +
      `| ${c.failed}${c.error ? ' (run error)' : ''} ` +
      `| ${c.warned} | ${c.expectedFailures} | ${c.skipped} | ${c.later} |`,
  );
  const upgrades = report.upgrades.map((u) => {
    const failing = u.rules.filter((r) => r.would === 'fail').map((r) => r.id);
    const outcome = failing.length ? `would fail: ${failing.join(', ')}` : 'all would pass';
    return `- [${u.column}] from ${u.from}: ${u.rules.length} rule(s), ${outcome}`;
  });
  const failed = summary.requirements.flatMap((r) =>
    r.scenarios.flatMap((s) =>
      Object.entries(s.cells)
        .filter(([, c]) => c.status === 'failed' && c.expected === undefined)
        .map(([column, c]) => `- **[${column}] ${r.id} › ${s.name}** (${s.uri}:${s.line}): ${failureLine(c)}`),
    ),
  );
  const changed = report.changes.map((c) => `- ${c.change}: [${c.column}] ${c.scenario}`);
  const stale = summary.staleExpectations.map((s) => `- ${s.entry}: now passes — remove this expectation`);
  return [
    `## wfstore conformance: ${verdict}`,
    '',
    `Contract: latest ${summary.contract.latest}; each backend judged by the version in its row.`,
    '',
    head,
    ...rows,
    ...(upgrades.length ? ['', `### Upgrade to ${summary.contract.latest}`, ...upgrades] : []),
    ...(failed.length ? ['', '### Failures', ...failed] : []),
    ...(stale.length ? ['', '### Expectations to remove', ...stale] : []),
    ...(changed.length ? ['', `### Changes since ${summary.baseline}`, ...changed] : []),
    '',
  ].join('\n');
}

/** Writes both when running on GitHub Actions; does nothing elsewhere. */
export async function reportToGitHub(
  report: Report,
  packageRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  if (fromEnvironment('GITHUB_ACTIONS', env) !== 'true') return;
  for (const line of annotations(report, packageRoot, process.cwd())) print(line);
  const stepSummary = fromEnvironment('GITHUB_STEP_SUMMARY', env);
  if (stepSummary !== undefined) await appendFile(stepSummary, markdownSummary(report));
}

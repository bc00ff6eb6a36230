// On GitHub Actions (GITHUB_ACTIONS=true): a Markdown summary appended to $GITHUB_STEP_SUMMARY, and one
// `::error` annotation per failed scenario, titled with the rules it breaks. It points at the scenario's
// line in the feature file when that file is the project's own (wfstore's checkout); a store's project has
// the features in node_modules/wfstore, which GitHub cannot show beside its code, so the annotation names
// the rule's place in the package's docs/contract.md and the scenario's file and line instead.
// Elsewhere nothing changes.

import { fromEnvironment } from '../../config.js';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../build.js';
import { contractText, failureLine } from '../summary.js';
import { failingRules, ruleAnchor } from '../../conformance/clauses.js';

/** Annotation values escape %, CR and LF (GitHub's workflow-command syntax); properties also , and :. */
const data = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const property = (text: string) => data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** A path relative to the project (cwd), with "/"; undefined outside it or inside its node_modules. */
function inProject(cwd: string, file: string): string | undefined {
  const relative = path.relative(cwd, file).split(path.sep).join('/');
  const outside = relative.startsWith('../') || path.isAbsolute(relative);
  return outside || relative.split('/').includes('node_modules') ? undefined : relative;
}

export function annotations({ summary }: Report, packageRoot: string, cwd: string): string[] {
  const lines: string[] = [];
  const levels = new Map(summary.rules.map((r) => [r.id, r]));
  const shown = (file: string) => path.relative(cwd, file).split(path.sep).join('/');
  const contract = shown(path.join(packageRoot, 'docs', 'contract.md'));
  for (const requirement of summary.requirements) {
    for (const scenario of requirement.scenarios) {
      const rules = failingRules(scenario.rules, levels);
      const feature = path.join(packageRoot, scenario.uri);
      const file = inProject(cwd, feature);
      const where = file === undefined ? '' : `file=${property(file)},line=${scenario.line},`;
      const rulesText = rules.map((r) => `${r} (${contract}#${ruleAnchor(r)})`).join(', ');
      const about = [
        ...(rules.length ? [`breaks ${rulesText}`] : []),
        ...(file === undefined ? [`scenario: ${shown(feature)}:${scenario.line}`] : []),
      ];
      for (const [column, cell] of Object.entries(scenario.cells)) {
        if (cell.status !== 'failed' || cell.expected !== undefined) continue;
        const title = `[${column}] ${rules.length ? `${rules.join(' ')}: ` : ''}${scenario.name}`;
        const message = [...about, ...(cell.step ? [`at step: ${cell.step}`] : []), cell.message ?? ''].join('\n');
        lines.push(`::error ${where}title=${property(title)}::${data(message)}`);
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
    const warning = u.rules.filter((r) => r.would === 'warn').map((r) => r.id);
    const should = warning.length
      ? `; a SHOULD rule would not be followed in the scenarios of ${warning.join(', ')}`
      : '';
    const outcome = (failing.length ? `would fail: ${failing.join(', ')}` : 'all would pass') + should;
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

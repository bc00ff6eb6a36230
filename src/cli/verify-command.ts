// `wfstore verify <store>`: every run of a store checked (checksums, sequences, outputs against the log,
// derived files), damage named by run and place; `--repair` rebuilds what is derived from the log, never
// events (docs/contract.md, WF-DUR-2).

import pc from 'picocolors';
import { parseStoreUrl } from '../backends/store-url.js';
import type { VerifyReport } from '../backends/verify.js';
import { reaching } from '../transfer/opener.js';
import { UsageError } from '../usage-error.js';

export interface VerifyCommandOptions {
  url: string;
  repair: boolean;
  json: boolean;
  print?: (line: string) => void;
}

/** Runs the check and prints the report; true when no damage is left. */
export async function runVerify(options: VerifyCommandOptions): Promise<boolean> {
  const print = options.print ?? ((line: string) => console.log(line));
  let target: ReturnType<typeof parseStoreUrl>;
  try {
    target = parseStoreUrl(options.url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { backend, location } = target;
  if (backend.verify === undefined) throw new UsageError(`the ${backend.name} backend keeps nothing to verify`);
  const report = await reaching(options.url, () => backend.verify!(location, { repair: options.repair }));
  const left = report.damage.filter((d) => !d.repaired);
  if (options.json) print(JSON.stringify(report, null, 2));
  else print(renderReport(report, options.repair));
  return left.length === 0;
}

export function renderReport(report: VerifyReport, repair: boolean): string {
  const lines = [`${report.location}: ${report.runs} run(s), ${report.events} event(s) checked`];
  for (const d of report.damage) {
    const mark = d.repaired ? pc.green('✔ repaired') : d.repairable ? pc.yellow('▲ repairable') : pc.red('✖ damaged');
    const run = d.runId === undefined ? '' : `run "${d.runId}": `;
    lines.push(`  ${mark}  ${run}${d.where}: ${d.problem}`);
  }
  const left = report.damage.filter((d) => !d.repaired);
  if (report.damage.length === 0) lines.push(pc.green('healthy: no damage found'));
  else if (left.length === 0)
    lines.push(pc.green(`repaired all ${report.damage.length} problem(s); the events were not touched`));
  else {
    const repairable = left.filter((d) => d.repairable).length;
    const hint = !repair && repairable > 0 ? `; ${repairable} can be rebuilt from the log with --repair` : '';
    lines.push(
      pc.red(`${left.length} problem(s) left${hint}; damaged events are never rewritten — restore them from a backup`),
    );
  }
  return lines.join('\n');
}

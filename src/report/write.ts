// The files a run (or a merge of shards) leaves in its report directory: index.html, summary.json and
// junit.xml (one testsuite per backend).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyBaseline, loadBaseline } from './baseline.js';
import { applyExpectations, loadCheckedExpectations } from './expectations.js';
import { renderHtml } from './render/html.js';
import { renderJunit } from './render/junit.js';
import type { ConformanceSummary } from './summary.js';

export const REPORT_FILES = ['index.html', 'summary.json', 'junit.xml'] as const;

/** Expectations first (they decide what counts as a failure), then the baseline comparison. */
export async function compare(
  summary: ConformanceSummary,
  options: { expect?: string | undefined; baseline?: string | undefined; merged?: boolean },
): Promise<ConformanceSummary> {
  let result = summary;
  if (options.expect !== undefined) {
    const backends = result.columns.map((c) => c.name);
    const entries = await loadCheckedExpectations(options.expect, backends, options.merged);
    result = applyExpectations(result, options.expect, entries);
  }
  if (options.baseline !== undefined)
    result = applyBaseline(result, options.baseline, await loadBaseline(options.baseline));
  return result;
}

export async function writeReports(summary: ConformanceSummary, reportDir: string): Promise<void> {
  await fs.mkdir(reportDir, { recursive: true });
  await fs.writeFile(path.join(reportDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await fs.writeFile(path.join(reportDir, 'index.html'), renderHtml(summary));
  await fs.writeFile(path.join(reportDir, 'junit.xml'), renderJunit(summary));
}

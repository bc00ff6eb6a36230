// The files a run (or a merge of shards) leaves in its report directory: index.html, summary.json and
// junit.xml (one testsuite per backend), all from one built report.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Report } from './build.js';
import { renderHtml } from './render/html.js';
import { renderJunit } from './render/junit.js';

export const REPORT_FILES = ['index.html', 'summary.json', 'junit.xml'] as const;

export async function writeReports(report: Report, reportDir: string): Promise<void> {
  await fs.mkdir(reportDir, { recursive: true });
  await fs.writeFile(path.join(reportDir, 'summary.json'), `${JSON.stringify(report.summary, null, 2)}\n`);
  await fs.writeFile(path.join(reportDir, 'index.html'), renderHtml(report));
  await fs.writeFile(path.join(reportDir, 'junit.xml'), renderJunit(report));
}

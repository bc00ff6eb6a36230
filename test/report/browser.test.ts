// Opens the conformance report in headless Chromium: the counts shown match the summary, a failed
// cell's link leads to its failure text, and a screenshot is saved. Skipped (never passed) without Chromium.

import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { runConformance, PACKAGE_ROOT } from '../../src/harness/matrix/conformance.js';
import type { ConformanceSummary } from '../../src/harness/matrix/summary.js';
import { mutantModule } from '../mutants/mutant.js';

const CHROMIUM = process.env.WFSTORE_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set WFSTORE_CHROMIUM)`;
// Flags for a closed network: without them Chromium keeps trying to reach Google's hosts.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function checkCounts(page: Page, summary: ConformanceSummary): Promise<void> {
  for (const column of summary.columns) {
    const row = page.locator(`#totals tr[data-column="${column.name}"]`);
    assert.equal(await row.getAttribute('data-passed'), String(column.passed), `${column.name} passed`);
    assert.equal(await row.getAttribute('data-failed'), String(column.failed), `${column.name} failed`);
    assert.equal(await row.getAttribute('data-warned'), String(column.warned), `${column.name} warned`);
    assert.match(await row.innerText(), new RegExp(`${column.passed + column.warned} passed, ${column.failed} failed`));
    for (const status of ['passed', 'failed', 'warned', 'skipped', 'not-applicable'] as const) {
      const shown = await page
        .locator(`#matrix td.cell[data-column="${column.name}"][data-status="${status}"]`)
        .count();
      const expected = summary.requirements
        .flatMap((r) => r.scenarios)
        .filter((s) => s.cells[column.name]?.status === status).length;
      assert.equal(shown, expected, `${column.name}: ${status} cells`);
    }
  }
  assert.match(
    await page.locator('#verdict').innerText(),
    new RegExp(`${summary.passed + summary.warned} passed, ${summary.failed} failed`),
  );
}

/** An amber cell links to the recommendation it did not follow, and a rule chip to the rule's text. */
async function checkAmber(page: Page): Promise<void> {
  const amber = page.locator('#matrix td.cell[data-status="warned"] a').first();
  const target = await amber.getAttribute('href');
  assert.ok(target?.startsWith('#recommendation-'), 'an amber cell links to its recommendation');
  await amber.click();
  const text = await page.locator(target!).innerText();
  assert.match(text, /WF-OUT-4/);
  assert.match(text, /every MUST rule held/);
  const chip = page.locator('#matrix a.rule', { hasText: 'WF-OUT-4' }).first();
  await chip.click();
  assert.equal(new URL(page.url()).hash, '#wf-out-4');
  assert.match(await page.locator('#wf-out-4').innerText(), /WF-OUT-4 \(SHOULD\)/);
}

it('the report shows the right counts, and a failed cell links to its failure', {
  skip,
  timeout: 300_000,
}, async () => {
  const reportDir = path.join(PACKAGE_ROOT, 'reports', 'browser-check');
  const modules = path.join(PACKAGE_ROOT, 'reports', 'browser-check-modules');
  const summary = await runConformance({
    backends: ['sqlite'],
    store: await mutantModule('events-newest-first', 'memory', modules),
    tags: '@REQ-CONTRACT-SEQUENCE or @REQ-CONTRACT-RUNS',
    reportDir,
    log: () => {},
  });
  assert.ok(summary.failed > 0, 'the broken store fails some scenarios');
  assert.equal(summary.columns.find((c) => c.name === 'sqlite')?.failed, 0, 'the reference store passes');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(path.join(reportDir, 'index.html')).href);
    await checkCounts(page, summary);

    const failedCell = page.locator('#matrix td.cell[data-status="failed"] a').first();
    const target = await failedCell.getAttribute('href');
    assert.ok(target?.startsWith('#failure-'), 'a failed cell links to a failure');
    const scenarioName = await failedCell.locator('xpath=ancestor::tr/td[1]/span[@class="name"]').innerText();
    await failedCell.click();
    assert.equal(new URL(page.url()).hash, target);
    const failure = page.locator(target!);
    assert.ok(await failure.isVisible());
    const text = await failure.innerText();
    assert.ok(text.includes(scenarioName.trim()), `the failure names its scenario "${scenarioName}"`);
    assert.match(text, /events-newest-first/);
    assert.match(text, /deep-equal|expected|Expected/);
    await page.screenshot({ path: path.join(reportDir, 'index.png'), fullPage: false });

    // Amber: a store that breaks only a SHOULD rule (the order of the outputs map).
    const amberDir = path.join(PACKAGE_ROOT, 'reports', 'browser-check-amber');
    const amber = await runConformance({
      store: await mutantModule('outputs-in-node-order', 'memory', modules),
      tags: '@REQ-CONTRACT-NODE-OUTPUTS',
      reportDir: amberDir,
      log: () => {},
    });
    assert.equal(amber.failed, 0);
    assert.ok(amber.warned > 0 && amber.success, 'amber, and the run passes (not --strict)');
    await page.goto(pathToFileURL(path.join(amberDir, 'index.html')).href);
    await checkCounts(page, amber);
    await checkAmber(page);

    // The main report, when a matrix run left one (as CI does before this test).
    const main = path.join(PACKAGE_ROOT, 'reports', 'index.html');
    if (existsSync(main)) {
      const mainSummary = JSON.parse(
        await fs.readFile(path.join(PACKAGE_ROOT, 'reports', 'summary.json'), 'utf8'),
      ) as ConformanceSummary;
      await page.goto(pathToFileURL(main).href);
      await checkCounts(page, mainSummary);
      await page.screenshot({ path: path.join(PACKAGE_ROOT, 'reports', 'index.png'), fullPage: false });
    }
  } finally {
    await browser.close();
  }
});

// Opens the conformance report in headless Chromium: the counts shown match the summary, a failed
// cell's link leads to its failure text, and a screenshot is saved. Then a report merged from two shards,
// compared with expectations and a baseline: expected failures, regressions and changes are marked, each
// visibly and apart. Skipped (never passed) without Chromium.

import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { runConformance, PACKAGE_ROOT } from '../../src/conformance/run-conformance.js';
import { mergeShards } from '../../src/report/merge.js';
import { type ConformanceSummary, shownStatus } from '../../src/report/summary.js';
import { buildReport, loadComparisons } from '../../src/report/build.js';
import { writeReports } from '../../src/report/write.js';
import { LATEST_CONTRACT } from '../../src/contract/versions.js';
import { fixedModule, mutantModule } from '../mutants/mutant.js';

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

const launch = () => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/** The page's window, as code that runs in it sees it (this project's types have no DOM). */
type Window = { getComputedStyle(e: unknown): { getPropertyValue(name: string): string } };
const style = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((e, p) => (globalThis as unknown as Window).getComputedStyle(e).getPropertyValue(p), property);

async function checkCounts(page: Page, summary: ConformanceSummary): Promise<void> {
  for (const column of summary.columns) {
    const row = page.locator(`#totals tr[data-column="${column.name}"]`);
    assert.equal(await row.getAttribute('data-passed'), String(column.passed), `${column.name} passed`);
    assert.equal(await row.getAttribute('data-failed'), String(column.failed), `${column.name} failed`);
    assert.equal(await row.getAttribute('data-warned'), String(column.warned), `${column.name} warned`);
    assert.match(await row.innerText(), new RegExp(`${column.passed + column.warned} passed, ${column.failed} failed`));
    for (const status of ['passed', 'failed', 'expected-failure', 'warned', 'skipped', 'not-applicable'] as const) {
      const shown = await page
        .locator(`#matrix td.cell[data-column="${column.name}"][data-status="${status}"]`)
        .count();
      const expected = summary.requirements
        .flatMap((r) => r.scenarios)
        .filter((s) => s.cells[column.name] && shownStatus(s.cells[column.name]!) === status).length;
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
  assert.match(await page.locator('#wf-out-4').innerText(), /WF-OUT-4 \(SHOULD, since 1\.0\)/);
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

  const browser = await launch();
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

it('a store judged by an older contract: its version in the header, later cells and the upgrade section', {
  skip,
  timeout: 300_000,
}, async () => {
  const reportDir = path.join(PACKAGE_ROOT, 'reports', 'browser-check-versions');
  const column = 'third-party-1.0';
  const summary = await runConformance({
    store: path.join(PACKAGE_ROOT, 'test', 'third-party', '1.0', 'conformance.ts'),
    tags: '@REQ-CONTRACT-UPDATE-EVENT or @REQ-CONTRACT-SEQUENCE',
    reportDir,
    log: () => {},
  });
  assert.ok(summary.success, 'judged by 1.0, the 1.0-era store passes');
  const later = summary.requirements.flatMap((r) => r.scenarios).filter((s) => s.cells[column]?.status === 'later');
  assert.ok(later.length >= 5);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(path.join(reportDir, 'index.html')).href);
    await checkCounts(page, summary);
    const contract = page.locator(`#contracts tr[data-column="${column}"]`);
    assert.ok(await contract.isVisible());
    assert.match(await contract.innerText(), /declares 1\.0[\s\S]*judged by 1\.0/);
    assert.ok((await page.locator('#contracts caption').innerText()).includes(`latest: ${LATEST_CONTRACT}`));
    const cells = page.locator(`#matrix td.cell[data-column="${column}"][data-status="later"]`);
    assert.equal(await cells.count(), later.length);
    const failing = page.locator('#matrix td.cell.later.would-fail a').first();
    assert.match(await failing.innerText(), /after 1\.0: would fail/);
    assert.notEqual(
      await style(page, '#matrix td.cell.later[data-status]', 'background-color'),
      await style(page, '#matrix td.cell.passed[data-status]', 'background-color'),
    );
    await failing.click();
    assert.equal(new URL(page.url()).hash, `#upgrade-${column}`);
    const upgrade = page.locator('#upgrade');
    assert.ok(await upgrade.isVisible());
    assert.ok((await upgrade.locator('h2').innerText()).includes(`Upgrade to ${LATEST_CONTRACT}`));
    const row = upgrade.locator('tr[data-rule="WF-UPD-4"]');
    assert.equal(await row.getAttribute('data-would'), 'fail');
    await row.locator('a.rule').click();
    assert.equal(new URL(page.url()).hash, '#wf-upd-4');
    assert.match(await page.locator('#wf-upd-4').innerText(), /WF-UPD-4 \(MUST, since 1\.1\)/);
    assert.ok(await page.locator('#markings').isVisible(), 'the legend names the later marking');
    await page.screenshot({ path: path.join(reportDir, 'index.png'), fullPage: false });
  } finally {
    await browser.close();
  }
});

/** Shards of sqlite and a broken store, merged with expectations (one failure listed) and a baseline. */
async function markedReport(dir: string): Promise<ConformanceSummary> {
  const store = 'events-newest-first';
  const modules = path.join(dir, 'modules');
  const tags = '@REQ-CONTRACT-SEQUENCE';
  const log = () => {};
  // The baseline: the store fixed, and without the WF-SEQ-3 scenarios (they are newly applicable now).
  const fixed = await fixedModule(store, 'memory', modules);
  await runConformance({ store: fixed, tags: `${tags} and not @WF-SEQ-3`, reportDir: path.join(dir, 'base'), log });
  await runConformance({ backends: ['sqlite'], tags, reportDir: path.join(dir, 'sqlite'), log });
  const broken = await runConformance({
    store: await mutantModule(store, 'memory', modules),
    tags,
    reportDir: path.join(dir, 'store'),
    log,
  });
  const failing = broken.requirements.flatMap((r) => r.scenarios).filter((s) => s.cells[store]?.status === 'failed');
  assert.ok(failing.length >= 2, 'some failures to expect, some not');
  const expect = path.join(dir, 'expect.json');
  const entry = { backend: store, scenario: failing[0]!.name, reason: 'newest first until the index is rebuilt' };
  await fs.writeFile(expect, JSON.stringify({ version: 1, expected: [entry] }));
  const out = path.join(dir, 'merged');
  // The sqlite column is judged by the latest contract, the store (which declares none) by 1.1.
  const shards = [path.join(dir, 'store'), path.join(dir, 'sqlite')];
  const findings = await mergeShards(shards, out, { allowMixedContracts: true });
  const columns = findings.columns.map((c) => c.name);
  const comparisons = await loadComparisons(
    { expect, baseline: path.join(dir, 'base', 'summary.json') },
    columns,
    true,
  );
  const merged = buildReport(findings, comparisons);
  await writeReports(merged, out);
  return merged.summary;
}

/** Every cell marked as the summary says, each marking visible and styled apart from the others. */
async function checkMarkings(page: Page, summary: ConformanceSummary): Promise<void> {
  const cells = summary.requirements.flatMap((r) => r.scenarios.flatMap((s) => Object.values(s.cells)));
  const expected = page.locator('#matrix td.cell[data-status="expected-failure"]');
  assert.equal(await expected.count(), cells.filter((c) => shownStatus(c) === 'expected-failure').length);
  assert.ok(await expected.first().isVisible());
  assert.match(await style(page, '#matrix td.cell.expected-failure[data-status]', 'background-image'), /gradient/);
  const failedBackground = await style(page, '#matrix td.cell.failed[data-status]', 'background-color');
  assert.notEqual(failedBackground, await style(page, '#matrix td.cell.passed[data-status]', 'background-color'));
  // The expected failure's link leads to its article, which shows the reason.
  const link = expected.first().locator('a');
  const target = (await link.getAttribute('href'))!;
  await link.click();
  assert.equal(new URL(page.url()).hash, target);
  assert.ok(await page.locator(target).isVisible());
  const reason = cells.find((c) => c.expected !== undefined)!.expected!;
  assert.match(await page.locator(target).innerText(), new RegExp(`Expected failure: ${reason}`));

  const regressions = page.locator('#matrix td.cell.regression');
  assert.equal(await regressions.count(), cells.filter((c) => shownStatus(c) === 'failed').length);
  assert.ok((await regressions.count()) > 0);
  assert.ok(await regressions.first().locator('.badge.regression', { hasText: 'not expected' }).isVisible());
  assert.notEqual(await style(page, '#matrix td.cell.regression', 'box-shadow'), 'none');
  for (const change of ['newly-failing', 'newly-applicable'] as const) {
    const marked = page.locator(`#matrix td.cell[data-change="${change}"]`);
    assert.equal(await marked.count(), cells.filter((c) => c.change === change).length, change);
    assert.ok((await marked.count()) > 0, change);
    assert.ok(await marked.first().locator(`.badge.${change}`).isVisible(), change);
  }
  assert.ok(await page.locator('#markings').isVisible(), 'the legend of the markings');
  assert.match(await page.locator('#verdict').innerText(), new RegExp(`${summary.expectedFailures} expected failure`));
}

it('a merged report marks expected failures, regressions and changes since a baseline, visibly', {
  skip,
  timeout: 300_000,
}, async () => {
  const dir = path.join(PACKAGE_ROOT, 'reports', 'browser-check-merged');
  await fs.rm(dir, { recursive: true, force: true });
  const summary = await markedReport(dir);
  assert.deepEqual(
    summary.columns.map((c) => c.name),
    ['sqlite', 'events-newest-first'],
  );
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(path.join(dir, 'merged', 'index.html')).href);
    await checkCounts(page, summary);
    await page.screenshot({ path: path.join(dir, 'index.png'), fullPage: false });
    await checkMarkings(page, summary);
  } finally {
    await browser.close();
  }
});

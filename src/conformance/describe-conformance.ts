// The conformance suite inside your own test runner (node:test, vitest, jest), as Keyv's test suite and
// abstract-level's are: every Gherkin scenario becomes one test, run in-process through the same step
// definitions the `wfstore conformance` command runs, so the feature files stay the single source.

import { Writable } from 'node:stream';
import type { Envelope } from '@cucumber/messages';
import { CallGuard, DEFAULT_CALL_TIMEOUT_MS } from './support/call-guard.js';
import { ManualClock, sequentialIds } from './support/clock.js';
import {
  assumedContractLine,
  capabilitiesOf,
  contractOf,
  initializerProblem,
  type StoreTestInitializer,
  storeOptions,
} from './initializer.js';
import type { ContractVersion } from '../contract/versions.js';
import { failingRules, loadRulesSync, type Rule } from './clauses.js';
import { type Standing, standingOf } from './judge.js';
import { excludedTags } from './columns.js';
import { RunResults, type ScenarioResult } from './results.js';
import { loadScenariosSync, type ScenarioRow } from './scenarios.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { StoreSource } from './support/processes.js';
import { registerInitializer } from './registered-initializers.js';
import { DEFAULT_PROPERTY_RUNS, propertySettings, propertyTimeLimit } from '../properties/differential.js';

type Body = () => void | Promise<void>;
type TestFunction = ((name: string, fn: Body, timeout?: number) => unknown) & {
  skip?: (name: string, fn: Body) => unknown;
};

/** The functions of your test runner: node:test (`describe, it, before, after`), vitest or jest. */
export interface TestRunner {
  describe: (name: string, body: () => void) => unknown;
  it?: TestFunction;
  test?: TestFunction;
  before?: (fn: Body) => unknown;
  beforeAll?: (fn: Body, timeout?: number) => unknown;
  after?: (fn: Body) => unknown;
  afterAll?: (fn: Body, timeout?: number) => unknown;
}

export interface DescribeConformanceOptions {
  /** Your test runner's describe/it/before/after (or beforeAll/afterAll). */
  test: TestRunner;
  initializer: StoreTestInitializer;
  /** A cucumber tag expression that selects scenarios, e.g. "@contract" or "@WF-CAS-1". */
  tags?: string;
  /** A SHOULD rule not followed fails the test too (by default it is printed as a warning). */
  strict?: boolean;
  /**
   * The contract version to judge by, over the one the initializer declares. A scenario of a later rule
   * runs and prints "after 1.0: would pass / would fail" without failing the test.
   */
  contract?: ContractVersion;
  /** Bound of each call into the store (default 10 s). */
  callTimeoutMs?: number;
  /** Bound of each test, passed to the runner (vitest and jest default to 5 s; the properties take longer). */
  testTimeoutMs?: number;
  /** Runs of the property scenarios (default 200). */
  propertyRuns?: number;
  /**
   * Time limit of each property scenario, in ms (default 1 s per run, at least 2 minutes); their tests get
   * a minute more than it, if testTimeoutMs is less.
   */
  propertyTimeoutMs?: number;
  /**
   * How another process finds this initializer, for the multi-process scenarios (with
   * `supports.multiProcess`): `{ module: '/abs/path/of/the/initializer/module' }`. Without it they do not
   * apply.
   */
  source?: StoreSource;
}

/** Loaded once per suite: cucumber's configuration and support code (the step definitions). */
interface Cucumber {
  run: (row: ScenarioRow, worldParameters: Record<string, unknown>) => Promise<ScenarioResult | undefined>;
}

// Once per process: the step definitions register themselves when first imported, so a second
// loadSupport would find none.
let loaded: Promise<Cucumber> | undefined;
function loadCucumber(): Promise<Cucumber> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Cucumber> {
  const { loadConfiguration, loadSupport, runCucumber } = await import('@cucumber/cucumber/api');
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const environment = { cwd: PACKAGE_ROOT, stdout: quiet, stderr: process.stderr, env: process.env };
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.js', profiles: ['base'] }, environment);
  const support = await loadSupport(runConfiguration, environment);
  return {
    async run(row, worldParameters) {
      const results = new RunResults();
      let result: ScenarioResult | undefined;
      await runCucumber(
        {
          ...runConfiguration,
          sources: { ...runConfiguration.sources, paths: [`${row.uri}:${row.line}`], names: [], tagExpression: '' },
          support,
          runtime: { ...runConfiguration.runtime, worldParameters: worldParameters as never },
          formats: { stdout: 'summary', files: {}, options: {}, publish: false },
        },
        environment,
        (envelope: Envelope) => {
          result = results.add(envelope)?.result ?? result;
        },
      );
      if (result === undefined && results.runError) {
        return { status: 'failed', step: 'a hook', message: results.runError, durationMs: 0 };
      }
      return result;
    },
  };
}

/** Why a scenario does not apply to the store, from its tags and the capabilities declared. */
function whyNotApplicable(
  row: ScenarioRow,
  initializer: StoreTestInitializer,
  names: readonly string[],
  source: StoreSource | undefined,
): string | undefined {
  const capabilities = capabilitiesOf(initializer);
  if (source === undefined) capabilities.multiProcess = undefined;
  if (row.tags.some((t) => t.startsWith('@backend:'))) return "checks a reference backend's own storage";
  if (row.tags.includes('@durability') && !capabilities.reopen) return 'needs reopenStore';
  const excluded = excludedTags('', capabilities, names);
  const missing = excluded.match(/not (@[\w-]+)/g)?.map((m) => m.slice(4)) ?? [];
  const tag = missing.find((t) => row.tags.includes(t));
  return tag && `needs a capability the initializer does not declare (${tag})`;
}

function check(
  result: ScenarioResult | undefined,
  row: ScenarioRow,
  strict: boolean,
  standing: Standing,
  rules: ReadonlyMap<string, Rule>,
): void {
  if (result === undefined) throw new Error(`the scenario did not run (${row.uri}:${row.line})`);
  if (standing.kind === 'later') {
    const would = result.status === 'failed' ? 'would fail' : 'would pass';
    console.warn(`after the judged version (rules since ${standing.version}): ${would}: "${row.name}"`);
    return;
  }
  if (result.status === 'failed') {
    // Headed with the rules a failure breaks: the MUST ones, not a SHOULD rule the scenario also checks.
    const broken = failingRules(row.rules, rules);
    const head = `${row.uri}:${row.line}${broken.length ? ` [${broken.join(' ')}]` : ''}`;
    throw new Error(`${head} failed at "${result.step ?? '?'}":\n${result.message ?? ''}`);
  }
  for (const r of result.recommendations ?? []) {
    const line = `recommended (${r.rule}, SHOULD) and not followed in "${row.name}": ${r.message}`;
    if (strict) throw new Error(line);
    console.warn(`▲ ${line}`);
  }
}

/** The runner's functions under one set of names (vitest and jest: beforeAll/afterAll take a timeout). */
function runnerOf(test: TestRunner) {
  const it = test.it ?? test.test;
  const before = test.beforeAll ?? (test.before && ((fn: Body) => test.before!(fn)));
  const after = test.afterAll ?? (test.after && ((fn: Body) => test.after!(fn)));
  if (!it || !before || !after) {
    throw new Error(
      'describeConformance: test needs describe, it (or test), before (or beforeAll) and after (or afterAll)',
    );
  }
  return { it, before, after };
}

/** Infrastructure once, and one store made as a probe, as the command line does. */
async function setUp(initializer: StoreTestInitializer, callTimeoutMs: number | undefined): Promise<void> {
  const guarded = new CallGuard(callTimeoutMs).initializer(initializer);
  await guarded.beforeAll?.();
  const clock = new ManualClock();
  const offered = { now: clock.now, generateId: sequentialIds('probe') };
  const probe = await guarded.createStore(storeOptions(capabilitiesOf(initializer), offered));
  await (guarded.destroyStore?.(probe) ?? probe.close());
}

/**
 * Declares one test per conformance scenario in your test runner:
 *
 *   import { describe, it, before, after } from 'node:test';
 *   describeConformance({ test: { describe, it, before, after }, initializer });
 */
export function describeConformance(options: DescribeConformanceOptions): void {
  const { test, initializer } = options;
  const problem = initializerProblem(initializer);
  if (problem !== undefined)
    throw new Error(`describeConformance: the initializer is not a StoreTestInitializer: ${problem}`);
  const { it, before, after } = runnerOf(test);
  const timeout = options.testTimeoutMs ?? 120_000;
  const given = { runs: options.propertyRuns, timeoutMs: options.propertyTimeoutMs };
  const chosen = propertySettings(given, { numRuns: DEFAULT_PROPERTY_RUNS });
  const propertyTimeout = (chosen.timeLimitMs ?? propertyTimeLimit(chosen.numRuns)) + 60_000;
  const rows = loadScenariosSync(PACKAGE_ROOT, options.tags);
  const names = [
    ...new Set(
      rows
        .flatMap((r) => r.tags)
        .filter((t) => t.startsWith('@backend:'))
        .map((t) => t.slice(9)),
    ),
  ];
  const rules = loadRulesSync(PACKAGE_ROOT);
  const choice = contractOf(initializer, options.contract);
  const judgement = { ...choice, features: capabilitiesOf(initializer).features ?? [] };
  if (choice.declared === undefined && options.contract === undefined)
    console.warn(assumedContractLine(initializer.name));
  const worldParameters = {
    contract: choice.judged,
    initializerKey: registerInitializer(initializer, options.source),
    managed: true,
    callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    properties: { runs: options.propertyRuns, timeoutMs: options.propertyTimeoutMs },
  };
  test.describe(`wfstore conformance: ${initializer.name}`, () => {
    before(async () => {
      await loadCucumber();
      await setUp(initializer, options.callTimeoutMs);
    }, timeout);
    after(async () => {
      await initializer.afterAll?.();
    }, timeout);
    for (const row of rows) {
      const title = `${row.requirement} › ${row.name}${row.rules.length ? ` [${row.rules.join(' ')}]` : ''}`;
      const standing = standingOf(row, judgement, rules);
      const shown = standing.kind === 'later' ? `${title} (after ${choice.judged}: not judged)` : title;
      const why =
        standing.kind === 'not-claimed'
          ? `a feature not claimed: ${standing.features.join(', ')}`
          : whyNotApplicable(row, initializer, names, options.source);
      if (why !== undefined) {
        (it.skip ?? it)(`${title} (not applicable: ${why})`, () => {});
        continue;
      }
      const run = async () =>
        check(await (await loadCucumber()).run(row, worldParameters), row, options.strict ?? false, standing, rules);
      it(shown, run, row.tags.includes('@REQ-PROPERTIES') ? Math.max(timeout, propertyTimeout) : timeout);
    }
  });
}

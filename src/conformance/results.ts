// Reads one cucumber run's message stream (NDJSON envelopes) into a result per scenario key.

import type {
  Attachment,
  Envelope,
  GherkinDocument,
  Pickle,
  TestCase,
  TestCaseFinished,
  TestCaseStarted,
  TestRunFinished,
  TestRunHookFinished,
  TestStepFinished,
} from '@cucumber/messages';
import {
  PROPERTY_MEDIA_TYPE,
  type PropertyRun,
  RECOMMENDATION_MEDIA_TYPE,
  type Recommendation,
} from './recommendation.js';
import { lineIndex, scenarioKey } from './scenarios.js';

/**
 * A cell of the matrix: passed; failed (a MUST rule broken); warned (every MUST held, but a SHOULD rule
 * was not followed: amber, "recommended"); skipped (with why); not applicable to this backend; later (its
 * rules are later than the contract version the store is judged by: run, shown "would pass / would fail",
 * not counted); not claimed (it checks an optional feature the store does not claim).
 */
export type CellStatus = 'passed' | 'failed' | 'warned' | 'skipped' | 'not-applicable' | 'later' | 'not-claimed';

export interface ScenarioResult {
  status: Exclude<CellStatus, 'not-applicable' | 'later' | 'not-claimed'>;
  /** For a failure: the step (or hook) that failed and its message. For a skip: why. */
  step?: string | undefined;
  message?: string | undefined;
  /** The SHOULD rules the store did not follow in this scenario. */
  recommendations?: Recommendation[] | undefined;
  /** A property scenario that failed: the seed it ran with. */
  seed?: number | undefined;
  durationMs: number;
}

// Worst first: the scenario's status is that of its worst step.
const SEVERITY = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN', 'SKIPPED', 'PASSED'] as const;
type StepStatus = (typeof SEVERITY)[number];
const severity = (status: string) => SEVERITY.indexOf(status as StepStatus);

interface Running {
  testCaseId: string;
  worst: StepStatus;
  step?: string | undefined;
  message?: string | undefined;
  logs: string[];
  recommendations: Recommendation[];
  seed?: number | undefined;
  startMs: number;
}

export class RunResults {
  readonly byKey = new Map<string, ScenarioResult>();
  private readonly lines = new Map<string, Map<string, number>>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, { pickleId: string; steps: Map<string, string> }>();
  private readonly running = new Map<string, Running>();
  /** The run's own error (an exception outside any scenario, e.g. in BeforeAll), if cucumber reported one. */
  runError: string | undefined;

  /** Feeds one envelope; returns the key and result of a scenario that just finished, if any. */
  add(envelope: Envelope): { key: string; result: ScenarioResult } | undefined {
    if (envelope.gherkinDocument) this.document(envelope.gherkinDocument);
    if (envelope.pickle) this.pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) this.testCase(envelope.testCase);
    if (envelope.testCaseStarted) this.started(envelope.testCaseStarted);
    if (envelope.attachment) this.attachment(envelope.attachment);
    if (envelope.testStepFinished) this.stepFinished(envelope.testStepFinished);
    if (envelope.testRunHookFinished) this.hookFinished(envelope.testRunHookFinished);
    if (envelope.testRunFinished) this.runFinished(envelope.testRunFinished);
    return envelope.testCaseFinished ? this.finished(envelope.testCaseFinished) : undefined;
  }

  private document(document: GherkinDocument): void {
    if (document.uri) this.lines.set(document.uri, lineIndex(document));
  }

  private testCase(testCase: TestCase): void {
    const pickle = this.pickles.get(testCase.pickleId);
    const steps = new Map<string, string>();
    for (const step of testCase.testSteps) {
      const text = step.pickleStepId ? pickle?.steps.find((s) => s.id === step.pickleStepId)?.text : undefined;
      steps.set(step.id, text ?? 'a hook');
    }
    this.testCases.set(testCase.id, { pickleId: testCase.pickleId, steps });
  }

  private started(started: TestCaseStarted): void {
    this.running.set(started.id, {
      testCaseId: started.testCaseId,
      worst: 'PASSED',
      logs: [],
      recommendations: [],
      startMs: toMs(started.timestamp),
    });
  }

  private attachment(attachment: Attachment): void {
    const run = attachment.testCaseStartedId ? this.running.get(attachment.testCaseStartedId) : undefined;
    if (!run) return;
    if (attachment.mediaType === 'text/x.cucumber.log+plain') run.logs.push(attachment.body);
    if (attachment.mediaType === RECOMMENDATION_MEDIA_TYPE) {
      run.recommendations.push(JSON.parse(attachment.body) as Recommendation);
    }
    if (attachment.mediaType === PROPERTY_MEDIA_TYPE) run.seed = (JSON.parse(attachment.body) as PropertyRun).seed;
  }

  private stepFinished(finished: TestStepFinished): void {
    const run = this.running.get(finished.testCaseStartedId);
    if (!run || severity(finished.testStepResult.status) >= severity(run.worst)) return;
    run.worst = finished.testStepResult.status as StepStatus;
    run.step = this.testCases.get(run.testCaseId)?.steps.get(finished.testStepId);
    run.message = finished.testStepResult.exception?.message ?? finished.testStepResult.message;
  }

  /** A BeforeAll or AfterAll hook that failed: its message is the run's error (the first one wins). */
  private hookFinished(finished: TestRunHookFinished): void {
    if (finished.result.status !== 'FAILED') return;
    this.runError ??= finished.result.exception?.message ?? finished.result.message;
  }

  private runFinished(finished: TestRunFinished): void {
    if (finished.exception || (finished.success === false && finished.message)) {
      this.runError ??= finished.exception?.message ?? finished.message;
    }
  }

  private finished(finished: TestCaseFinished): { key: string; result: ScenarioResult } | undefined {
    if (finished.willBeRetried) return undefined;
    const run = this.running.get(finished.testCaseStartedId);
    const testCase = run && this.testCases.get(run.testCaseId);
    const pickle = testCase && this.pickles.get(testCase.pickleId);
    if (!run || !pickle) return undefined;
    const key = scenarioKey(pickle.uri, pickle, this.lines.get(pickle.uri) ?? new Map());
    const result = resultOf(run, toMs(finished.timestamp) - run.startMs);
    this.byKey.set(key, result);
    return { key, result };
  }
}

/** A property's seed is kept with its failure, to replay it; two runs that pass report the same cells. */
function resultOf(run: Running, durationMs: number): ScenarioResult {
  const result = statusOf(run, durationMs);
  return run.seed === undefined || result.status !== 'failed' ? result : { ...result, seed: run.seed };
}

function statusOf(run: Running, durationMs: number): ScenarioResult {
  const recommendations = run.recommendations.length > 0 ? run.recommendations : undefined;
  if (run.worst === 'PASSED' || (run.worst === 'SKIPPED' && recommendations)) {
    return recommendations ? { status: 'warned', recommendations, durationMs } : { status: 'passed', durationMs };
  }
  if (run.worst === 'SKIPPED') return { status: 'skipped', message: run.logs.join('\n') || 'skipped', durationMs };
  const why = run.worst === 'FAILED' ? run.message : `the step is ${run.worst.toLowerCase()}`;
  return { status: 'failed', step: run.step, message: why ?? run.worst, recommendations, durationMs };
}

function toMs(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds * 1000 + timestamp.nanos / 1e6;
}

// Reads one cucumber run's message stream (NDJSON envelopes) into a result per scenario key.

import type { Envelope, Pickle } from '@cucumber/messages';
import { lineIndex, scenarioKey } from './scenarios.js';

export type CellStatus = 'passed' | 'failed' | 'skipped' | 'not-applicable';

export interface ScenarioResult {
  status: Exclude<CellStatus, 'not-applicable'>;
  /** For a failure: the step (or hook) that failed and its message. For a skip: why. */
  step?: string;
  message?: string;
  durationMs: number;
}

// Worst first: the scenario's status is that of its worst step.
const SEVERITY = ['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN', 'SKIPPED', 'PASSED'] as const;
type StepStatus = (typeof SEVERITY)[number];
const severity = (status: string) => SEVERITY.indexOf(status as StepStatus);

export class RunResults {
  readonly byKey = new Map<string, ScenarioResult>();
  private readonly lines = new Map<string, Map<string, number>>();
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, { pickleId: string; steps: Map<string, string> }>();
  private readonly started = new Map<
    string,
    { testCaseId: string; worst: StepStatus; step?: string; message?: string; logs: string[]; startMs: number }
  >();
  /** The run's own error (an exception outside any scenario), if cucumber reported one. */
  runError: string | undefined;

  /** Feeds one envelope; returns the key of a scenario that just finished, if any. */
  add(envelope: Envelope): { key: string; result: ScenarioResult } | undefined {
    if (envelope.gherkinDocument?.uri)
      this.lines.set(envelope.gherkinDocument.uri, lineIndex(envelope.gherkinDocument));
    if (envelope.pickle) this.pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.testCase) {
      const pickle = this.pickles.get(envelope.testCase.pickleId);
      const steps = new Map<string, string>();
      for (const step of envelope.testCase.testSteps) {
        const text = step.pickleStepId ? pickle?.steps.find((s) => s.id === step.pickleStepId)?.text : undefined;
        steps.set(step.id, text ?? 'a hook');
      }
      this.testCases.set(envelope.testCase.id, { pickleId: envelope.testCase.pickleId, steps });
    }
    if (envelope.testCaseStarted) {
      const t = envelope.testCaseStarted;
      this.started.set(t.id, { testCaseId: t.testCaseId, worst: 'PASSED', logs: [], startMs: toMs(t.timestamp) });
    }
    if (envelope.attachment?.testCaseStartedId && envelope.attachment.mediaType === 'text/x.cucumber.log+plain') {
      this.started.get(envelope.attachment.testCaseStartedId)?.logs.push(envelope.attachment.body);
    }
    if (envelope.testStepFinished) {
      const f = envelope.testStepFinished;
      const run = this.started.get(f.testCaseStartedId);
      if (run && severity(f.testStepResult.status) < severity(run.worst)) {
        run.worst = f.testStepResult.status as StepStatus;
        run.step = this.testCases.get(run.testCaseId)?.steps.get(f.testStepId);
        run.message = f.testStepResult.exception?.message ?? f.testStepResult.message;
      }
    }
    if (
      envelope.testRunFinished?.exception ||
      (envelope.testRunFinished && envelope.testRunFinished.success === false && envelope.testRunFinished.message)
    ) {
      this.runError = envelope.testRunFinished.exception?.message ?? envelope.testRunFinished.message;
    }
    if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const f = envelope.testCaseFinished;
      const run = this.started.get(f.testCaseStartedId);
      const testCase = run && this.testCases.get(run.testCaseId);
      const pickle = testCase && this.pickles.get(testCase.pickleId);
      if (!run || !pickle) return undefined;
      const key = scenarioKey(pickle.uri, pickle, this.lines.get(pickle.uri) ?? new Map());
      const durationMs = toMs(f.timestamp) - run.startMs;
      let result: ScenarioResult;
      if (run.worst === 'PASSED') result = { status: 'passed', durationMs };
      else if (run.worst === 'SKIPPED')
        result = { status: 'skipped', message: run.logs.join('\n') || 'skipped', durationMs };
      else {
        const why = run.worst === 'FAILED' ? run.message : `the step is ${run.worst.toLowerCase()}`;
        result = { status: 'failed', step: run.step, message: why ?? run.worst, durationMs };
      }
      this.byKey.set(key, result);
      return { key, result };
    }
    return undefined;
  }
}

function toMs(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds * 1000 + timestamp.nanos / 1e6;
}

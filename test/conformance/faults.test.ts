// A store under test that hangs, an initializer that cannot make a store, and a run stopped with Ctrl-C:
// the harness names what went wrong, finishes in bounded time, and still writes its reports.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ConformanceSummary } from '../../src/report/summary.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string) => path.join(ROOT, 'test', 'conformance', 'fixtures', `${name}.ts`);

interface Ran {
  code: number | null;
  output: string;
  summary: ConformanceSummary;
  ms: number;
}

// The bound on one call of the store under test: the default's 10 s would make each scenario that meets the
// hanging method wait 10 s; what is checked (the method named, the run ending, the rest passing) is the same.
const CALL_TIMEOUT_MS = 2000;

/** Runs `wfstore conformance --store <fixture>`; `interruptWhen` sends SIGINT once the output matches. */
async function conformance(store: string, interruptWhen?: RegExp): Promise<Ran> {
  const reportDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-faults-'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...[path.join(ROOT, 'bin', 'wfstore.js'), 'conformance', '--store', store, '--report-dir', reportDir],
      ...['--call-timeout', String(CALL_TIMEOUT_MS)],
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    if (interruptWhen?.test(output) && child.exitCode === null) {
      interruptWhen = undefined;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = Date.now() - started;
  for (const file of ['index.html', 'summary.json']) {
    assert.ok(existsSync(path.join(reportDir, file)), `${file} was written\n${output}`);
  }
  const summary = JSON.parse(await fs.readFile(path.join(reportDir, 'summary.json'), 'utf8')) as ConformanceSummary;
  await fs.rm(reportDir, { recursive: true, force: true });
  return { code, output, summary, ms };
}

describe('a store under test that misbehaves', () => {
  // The run ends: each call of the hanging method is cut at the call timeout, naming it. The wall time is
  // printed, not asserted (load stretches it several times); a run that waited for ever meets the timeout.
  it('getCompletedDagNodeOutputs never settles: the run ends, naming the method', {
    timeout: 600_000,
  }, async () => {
    const { code, output, summary, ms } = await conformance(fixture('hanging-outputs'));
    console.log(`hanging getCompletedDagNodeOutputs: the run took ${(ms / 1000).toFixed(1)} s`);
    assert.equal(code, 1);
    const settle = `getCompletedDagNodeOutputs() did not settle within ${CALL_TIMEOUT_MS} ms`;
    assert.ok(output.includes(settle), output);
    const failures = summary.requirements
      .flatMap((r) => r.scenarios)
      .map((s) => Object.values(s.cells)[0]!)
      .filter((cell) => cell.status === 'failed');
    assert.ok(failures.length > 0);
    assert.ok(summary.passed > 50, `the scenarios that do not read outputs pass (${summary.passed})`);
  });

  it('createStore throws: the column stops at once with one message naming the hook', {
    timeout: 120_000,
  }, async () => {
    const { code, output, summary, ms } = await conformance(fixture('throwing-create'));
    // "At once" is what the output shows (one message, no scenario run), not a wall-clock bound, which a
    // loaded machine exceeds; a column that hung would meet the test's timeout.
    console.log(`throwing createStore: the run took ${(ms / 1000).toFixed(1)} s`);
    assert.equal(code, 1);
    const column = summary.columns[0]!;
    assert.match(column.error ?? '', /^the initializer "throwing-create": createStore\(\) failed: cannot connect/);
    assert.equal(column.passed, 0);
    // Said once as it happens and once under the table; never once per scenario.
    assert.equal(output.match(/cannot connect to the test database/g)?.length, 2, output);
    assert.doesNotMatch(output, /✖ \[throwing-create\] REQ-/);
  });

  it('Ctrl-C mid-run: index.html and summary.json are written for what ran, exit 130', {
    timeout: 120_000,
  }, async () => {
    const { code, summary } = await conformance(fixture('hanging-outputs'), /\[hanging-outputs\] ✖ failed/);
    assert.equal(code, 130);
    assert.equal(summary.interrupted, true);
    assert.equal(summary.success, false);
    assert.ok(summary.skipped > 0, 'the scenarios that did not run are skipped, with the reason');
  });
});

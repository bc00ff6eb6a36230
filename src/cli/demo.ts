// `wfstore demo`: the reference engine runs "three-steps" on a backend, fails once, resumes, and the
// event log is printed as a timeline: a first look at what a store records. Then a worker that lost its
// run to another is refused its late write (contract 1.2: writes fenced by the claim token).

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backendNamed } from '../backends/registry.js';
import type { IWorkflowStore } from '../contract/types.js';
import { RunLostError, WorkflowEngine } from '../engine/engine.js';
import { heldThreeSteps, threeSteps } from '../engine/examples.js';
import { formatTimeline } from '../engine/timeline.js';
import { isBackendName, BACKEND_NAMES } from '../backends/registry.js';
import { UsageError } from '../usage-error.js';

export interface DemoOptions {
  backend: string;
  /** Directory for a backend that keeps its data in files; default: a new temporary directory, kept. */
  dir?: string | undefined;
  print?: (line: string) => void;
}

interface Opened {
  store: IWorkflowStore;
  where: string;
  /** After the store is closed: what the demo made that is not to be kept (all of it when the demo failed). */
  cleanUp: (succeeded: boolean) => Promise<void>;
}

type Backend = ReturnType<typeof backendNamed>;

async function open(name: string, dir: string | undefined, print: (line: string) => void): Promise<Opened> {
  const backend = backendNamed(name);
  return backend.supports.permanent && backend.locationIn('') !== undefined
    ? openInFiles(backend, dir)
    : openThrowaway(backend, print);
}

/**
 * Data in files: in --dir, or in a new temporary directory, kept for the user to look at when the demo
 * succeeds and removed when it fails at any point (a driver missing, say).
 */
async function openInFiles(backend: Backend, dir: string | undefined): Promise<Opened> {
  const made = dir === undefined ? await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-demo-')) : undefined;
  const removeMade = async () => {
    if (made !== undefined) await fs.rm(made, { recursive: true, force: true });
  };
  const location = backend.locationIn(made ?? path.resolve(dir!))!;
  try {
    return {
      store: await backend.open(location),
      where: `${backend.describe(location)} (kept for you to look at)`,
      cleanUp: async (succeeded) => {
        if (!succeeded) await removeMade();
      },
    };
  } catch (error) {
    await removeMade();
    throw error;
  }
}

/** Data on a server (provisioned as for the tests) or in this process: a throwaway store, always removed. */
async function openThrowaway(backend: Backend, print: (line: string) => void): Promise<Opened> {
  const scratch = backend.scratch(print);
  let location: ReturnType<Backend['locationIn']>;
  const removeAll = async () => {
    try {
      if (location !== undefined) await scratch.remove(location);
    } finally {
      await scratch.tearDown?.();
    }
  };
  try {
    await scratch.setUp?.();
    location = await scratch.newLocation();
    return {
      store: await backend.open(location, scratch.settings),
      where: `${backend.describe(location)} (${backend.supports.permanent ? 'removed at the end' : 'gone at the end'})`,
      cleanUp: removeAll,
    };
  } catch (error) {
    // The failure to report is the first one.
    await removeAll().catch(() => {});
    throw error;
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  if (!isBackendName(options.backend)) {
    throw new UsageError(`--backend: unknown backend "${options.backend}" (choose one of ${BACKEND_NAMES.join(', ')})`);
  }
  const opened = await open(options.backend, options.dir, print);
  let succeeded = false;
  try {
    const { workflow, runs } = threeSteps({ failTransform: 1 });
    const engine = new WorkflowEngine(opened.store, { concurrency: 1 });
    print(`workflow "three-steps": fetch → parse → transform, on ${options.backend}; data in ${opened.where}\n`);

    print('1. start — "transform" fails on its first attempt');
    const first = await engine.start(workflow);
    const runId = first.runId;
    const firstEvents = await opened.store.listWorkflowEvents(runId);
    print(formatTimeline(firstEvents));
    print(`   → run ${runId} is ${(await opened.store.getWorkflowRun(runId))?.status}: ${first.failure?.message}\n`);

    print(
      '2. resume — claims the failed run (compare-and-set failed → running, a new token in metadata.claim), ' +
        'reuses the outputs of completed nodes',
    );
    const second = await engine.resume(workflow, runId);
    const allEvents = await opened.store.listWorkflowEvents(runId);
    print(formatTimeline(allEvents.slice(firstEvents.length)));
    print(`   → run ${runId} is ${(await opened.store.getWorkflowRun(runId))?.status}\n`);

    const outputs = Object.fromEntries(await opened.store.getCompletedDagNodeOutputs(runId));
    print(`completed node outputs (getCompletedDagNodeOutputs): ${JSON.stringify(outputs)}`);
    const executions = [...runs].map(([id, n]) => `${id} ×${n}`).join(', ');
    print(`node executions: ${executions} — the resume ran only ${second.ran.join(', ')}\n`);
    await lateWorker(opened.store, print);
    succeeded = true;
  } finally {
    try {
      await opened.store.close();
    } finally {
      await opened.cleanUp(succeeded);
    }
  }
}

/**
 * Worker A hangs in "parse"; worker B, told A died, takes the run over (a new claim token) and is in "parse"
 * too when A wakes up: A's write, fenced by its old token, is refused, and B completes the run. B writes
 * nothing while A is awake, so what the log gained then is A's.
 */
async function lateWorker(store: IWorkflowStore, print: (line: string) => void): Promise<void> {
  print('3. a late worker — worker A hangs in "parse"; worker B, told A died, takes the run over');
  print('   (resume with takeOverRunning: running → failed → running, a new claim token); then A wakes up');
  const { workflow, began, release } = heldThreeSteps();
  const a = new WorkflowEngine(store, { concurrency: 1 }).start(workflow).then(
    () => 'worker A completed the run: its writes were not fenced',
    (error: unknown) => (error instanceof RunLostError ? `worker A refused: ${error.message}` : Promise.reject(error)),
  );
  const runId = await began(0);
  const b = new WorkflowEngine(store, { concurrency: 1 }).resume(workflow, runId, { takeOverRunning: true });
  await began(1);
  const takenOver = (await store.listWorkflowEvents(runId)).length;
  release(0);
  print(`   → ${await a}`);
  const late = (await store.listWorkflowEvents(runId)).length - takenOver;
  release(1);
  await b;
  print(formatTimeline(await store.listWorkflowEvents(runId)));
  const status = (await store.getWorkflowRun(runId))?.status;
  print(
    late === 0
      ? `   → run ${runId} is ${status}; from #5 on every event is worker B's, A's "parse" was never recorded`
      : `   → run ${runId} is ${status}; worker A wrote ${late} event(s) after B took over: ` +
          'this store does not fence appends (WF-SEQ-4)',
  );
}

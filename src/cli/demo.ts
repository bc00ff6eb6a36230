// `wfstore demo`: the reference engine runs "three-steps" on a backend, fails once, resumes, and the
// event log is printed as a timeline: a first look at what a store records.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backendNamed } from '../backends/registry.js';
import type { IWorkflowStore } from '../contract/types.js';
import { WorkflowEngine } from '../engine/engine.js';
import { threeSteps } from '../engine/examples.js';
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
      '2. resume — claims the failed run (compare-and-set failed → running), reuses the outputs of completed nodes',
    );
    const second = await engine.resume(workflow, runId);
    const allEvents = await opened.store.listWorkflowEvents(runId);
    print(formatTimeline(allEvents.slice(firstEvents.length)));
    print(`   → run ${runId} is ${(await opened.store.getWorkflowRun(runId))?.status}\n`);

    const outputs = Object.fromEntries(await opened.store.getCompletedDagNodeOutputs(runId));
    print(`completed node outputs (getCompletedDagNodeOutputs): ${JSON.stringify(outputs)}`);
    const executions = [...runs].map(([id, n]) => `${id} ×${n}`).join(', ');
    print(`node executions: ${executions} — the resume ran only ${second.ran.join(', ')}`);
    succeeded = true;
  } finally {
    try {
      await opened.store.close();
    } finally {
      await opened.cleanUp(succeeded);
    }
  }
}

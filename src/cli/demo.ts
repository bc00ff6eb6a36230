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
  cleanUp: () => Promise<void>;
}

async function open(name: string, dir: string | undefined, print: (line: string) => void): Promise<Opened> {
  const backend = backendNamed(name);
  if (backend.supports.permanent && backend.locationIn('') !== undefined) {
    // Data in files: in --dir, or a new temporary directory, kept for the user to look at.
    const data = dir !== undefined ? path.resolve(dir) : await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-demo-'));
    const location = backend.locationIn(data)!;
    return {
      store: await backend.open(location),
      where: `${backend.describe(location)} (kept for you to look at)`,
      cleanUp: async () => {},
    };
  }
  // Data on a server (provisioned as for the tests) or in this process: a throwaway store.
  const scratch = backend.scratch(print);
  await scratch.setUp?.();
  const location = await scratch.newLocation();
  return {
    store: await backend.open(location, scratch.settings),
    where: `${backend.describe(location)} (${backend.supports.permanent ? 'removed at the end' : 'gone at the end'})`,
    cleanUp: async () => {
      await scratch.remove(location);
      await scratch.tearDown?.();
    },
  };
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  if (!isBackendName(options.backend)) {
    throw new UsageError(`--backend: unknown backend "${options.backend}" (choose one of ${BACKEND_NAMES.join(', ')})`);
  }
  const opened = await open(options.backend, options.dir, print);
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
  } finally {
    await opened.store.close();
    await opened.cleanUp();
  }
}

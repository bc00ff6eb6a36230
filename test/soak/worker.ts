// A soak worker process: drives `slots` runs at once through the reference engine, each run after the other,
// and reads other workers' runs now and then. A failed call is not retried blindly: the slot waits until the
// store answers again, reads the run, resolves what was unknown (its token found once, or not at all), and
// carries on from the run's status. A worker restarted after a kill -9 first does the same for the runs its
// previous incarnation left.

import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isWorkflowStoreError } from '../../src/contract/errors.js';
import type { IWorkflowStore, JsonValue } from '../../src/contract/types.js';
import { WorkflowEngine } from '../../src/engine/engine.js';
import type { WorkflowDefinition } from '../../src/engine/definition.js';
import { activeFile, Journal, type JournalLine, journalFile, type WorkerConfig } from './journal.js';
import { lockWaitProbe, openSoakStore, STATEMENT_TIMEOUT_MS } from './stores.js';
import { allEvents, RecordingStore, tokensOf } from './recording-store.js';

const config = JSON.parse(process.argv[2]!) as WorkerConfig;
const journal = new Journal(journalFile(config.dir, config.worker, config.generation), config.phaseStart);
journal.write(['up', journal.now()]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

const inner = await openWithRetry();
const store = new RecordingStore(inner, journal, `w${config.worker}.${config.generation}`);
const engine = new WorkflowEngine(store, { concurrency: 4 });

async function openWithRetry(): Promise<IWorkflowStore> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSoakStore(config.backend, config.location, `soak-w${config.worker}`, config.schema);
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The workflow: fetch → (parse, enrich, score) → merge → publish. Each node works a few milliseconds, as a
// real step would wait on something; `score` fails the first time in one run in five, so runs fail and are
// resumed in the ordinary way too.

const failedOnce = new Set<string>();
const work = () => sleep(5 + Math.random() * 20);
const node = (id: string, dependsOn: string[], fail = false) => ({
  id,
  dependsOn,
  run: async (inputs: Record<string, JsonValue>, context: { runId: string }): Promise<JsonValue> => {
    await work();
    if (fail && context.runId.endsWith('0') && !failedOnce.has(context.runId)) {
      failedOnce.add(context.runId);
      throw new Error('score: the model timed out');
    }
    return { node: id, inputs: Object.keys(inputs).length };
  },
});
const workflow: WorkflowDefinition = {
  name: 'soak',
  nodes: [
    node('fetch', []),
    node('parse', ['fetch']),
    node('enrich', ['fetch']),
    node('score', ['fetch'], true),
    node('merge', ['parse', 'enrich', 'score']),
    node('publish', ['merge']),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Recovery.

/** Waits until the store answers a read of `runId`; returns the run (null: it does not exist). */
async function readWhenBack(runId: string) {
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await store.getWorkflowRun(runId);
    } catch (error) {
      if (!isWorkflowStoreError(error, 'BACKEND_FAILURE')) throw error;
      await sleep(wait);
    }
  }
}

/** Reads the run back and writes down how many times each unknown op's token is in it. */
async function resolveUnknown(runId: string, unknown: string[]): Promise<void> {
  if (unknown.length === 0) return;
  // A statement of the failed call may still be running on the server (its cancel lost on the way through a
  // pooler): the server's statement_timeout ends it within this, so what is read after that stays true.
  if (config.backend === 'postgres') await sleep(STATEMENT_TIMEOUT_MS + 1000);
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    try {
      const run = await store.getWorkflowRun(runId);
      const tokens = tokensOf(run, run === null ? [] : await allEvents(store, runId));
      for (const op of unknown) journal.write(['u', op, journal.now(), tokens.get(op) ?? 0]);
      return;
    } catch (error) {
      if (!isWorkflowStoreError(error, 'BACKEND_FAILURE')) throw error;
      await sleep(wait);
    }
  }
}

/**
 * Carries a run on from its status as read: a running one left by a failed call (or a killed process) is
 * taken over, a failed one resumed, a pending one marked failed first. Null when the run does not exist.
 */
async function carryOn(runId: string): Promise<'completed' | 'failed' | 'absent'> {
  const run = await readWhenBack(runId);
  if (run === null) return 'absent';
  journal.write(['v', runId, journal.now(), run.status]);
  switch (run.status) {
    case 'completed':
      return 'completed';
    case 'pending':
      await store.updateWorkflowRun(
        runId,
        { status: 'failed' },
        { expected_status: 'pending', event: { event_type: 'workflow_interrupted' } },
      );
      break;
    case 'cancelled':
    case 'paused':
      throw new Error(`run ${runId} is ${run.status}, which the soak never asks for`);
  }
  return (await engine.resume(workflow, runId, { takeOverRunning: true })).status;
}

/** The ops of this process whose outcome is unknown, by run (filled from the journal's own lines). */
const unknownOps = new Map<string, string[]>();
const opRun = new Map<string, string>();
/** Runs whose creation was acknowledged (or found): only those are offered to other workers' readers. */
const created = new Set<string>();
const creates = new Set<string>();
const originalWrite = journal.write.bind(journal);
journal.write = (line: JournalLine) => {
  if (line[0] === 'c') {
    opRun.set(line[1], line[4]);
    if (line[3] === 'create') creates.add(line[1]);
  } else if (line[0] === 'a') {
    if (creates.delete(line[1])) created.add(opRun.get(line[1])!);
    opRun.delete(line[1]);
  } else if (line[0] === 'v') created.add(line[1]);
  else if (line[0] === 'e') {
    creates.delete(line[1]);
    const run = opRun.get(line[1]);
    opRun.delete(line[1]);
    if (line[5] && run !== undefined) unknownOps.set(run, [...(unknownOps.get(run) ?? []), line[1]]);
  }
  originalWrite(line);
};

/** Reads the run back once the store answers, for the ops of this process whose outcome is unknown. */
async function settle(runId: string): Promise<void> {
  const unknown = unknownOps.get(runId) ?? [];
  unknownOps.delete(runId);
  await resolveUnknown(runId, unknown);
}

/** Drives one run to completion: started, or carried on from where it was; false when it never existed. */
async function drive(runId: string, fresh: boolean): Promise<boolean> {
  let next: 'start' | 'carry on' = fresh ? 'start' : 'carry on';
  for (let round = 1; ; round++) {
    let status: 'completed' | 'failed' | 'absent' | 'error';
    try {
      status = next === 'start' ? (await engine.start(workflow, { runId })).status : await carryOn(runId);
    } catch (error) {
      if (round > 100) throw error;
      const engineRefusal = error instanceof Error && ['RunClaimConflictError', 'RunLostError'].includes(error.name);
      if (!isWorkflowStoreError(error) && !engineRefusal) {
        throw error;
      }
      status = 'error'; // written down by the recording store
    }
    // A run may also end "failed" because a write failed (the engine records the failure and goes on).
    await settle(runId);
    if (status === 'absent') return false;
    if (status === 'completed') {
      journal.write(['d', runId, journal.now()]);
      return true;
    }
    next = 'carry on';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Runs left by the previous incarnation: those started and not completed. Its unknown ops are those sent
// and never answered (the kill came first) or answered with an unknown outcome and never resolved.

function leftBehind(): Map<number, { run: string; unknown: string[] }> {
  const left = new Map<number, { run: string; unknown: string[] }>();
  const sent = new Map<string, string>();
  const unknown = new Map<string, string[]>();
  const done = new Set<string>();
  const lastOfSlot = new Map<number, string>();
  // Every earlier incarnation in order: one killed while taking a run over leaves it to the next.
  for (let generation = 0; generation < config.generation; generation++) {
    const text = readFileSync(journalFile(config.dir, config.worker, generation), 'utf8');
    for (const raw of text.split('\n')) {
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        continue; // empty, or a line cut by the kill
      }
      if (line[0] === 'c') {
        sent.set(line[1], line[4]);
        lastOfSlot.set(Number(/s(\d+)n/.exec(line[4])?.[1]), line[4]);
      } else if (line[0] === 'a') sent.delete(line[1]);
      else if (line[0] === 'e') {
        const run = sent.get(line[1])!;
        sent.delete(line[1]);
        if (line[5]) unknown.set(run, [...(unknown.get(run) ?? []), line[1]]);
      } else if (line[0] === 'u') {
        for (const [run, ops] of unknown)
          unknown.set(
            run,
            ops.filter((op) => op !== line[1]),
          );
      } else if (line[0] === 'd') done.add(line[1]);
    }
    // Sent and never answered: the kill came first.
    for (const [op, run] of sent) unknown.set(run, [...(unknown.get(run) ?? []), op]);
    sent.clear();
  }
  for (const [slot, run] of lastOfSlot) {
    if (!done.has(run)) left.set(slot, { run, unknown: unknown.get(run) ?? [] });
  }
  return left;
}

// ---------------------------------------------------------------------------------------------------------
// Readers of other workers' runs, and the per-second sample.

const active = new Map<number, string>();
let longestRead = 0;
// How late this process's own timers run (CPU starvation on a loaded machine), to tell it from lock waits.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function readOthers(): Promise<void> {
  while (!stopping) {
    await sleep(20 + Math.random() * 20);
    const others: string[] = [];
    for (let w = 0; w < 16; w++) {
      if (w === config.worker) continue;
      try {
        others.push(...(JSON.parse(readFileSync(activeFile(config.dir, w), 'utf8')) as string[]));
      } catch {
        // no such worker, or its list is being replaced
      }
    }
    const runId = others[Math.floor(Math.random() * others.length)];
    if (runId === undefined) continue;
    const started = Date.now();
    try {
      if (Math.random() < 0.5) await store.listWorkflowEvents(runId, { after_sequence: 0, limit: 100 });
      else await store.getCompletedDagNodeOutputs(runId);
      longestRead = Math.max(longestRead, Date.now() - started);
    } catch {
      // written down by the recording store; an outage is counted there
    }
  }
}

function descriptors(): { fds: number; sockets: number } {
  const names = readdirSync('/proc/self/fd');
  let sockets = 0;
  for (const name of names) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:')) sockets++;
    } catch {
      // closed meanwhile
    }
  }
  return { fds: names.length, sockets };
}

const sampler = setInterval(() => {
  const { fds, sockets } = descriptors();
  const memory = process.memoryUsage();
  const lag = Math.round(loopDelay.max / 1e6);
  loopDelay.reset();
  const lockWait = lockWaitProbe(config.backend);
  journal.write(['s', journal.now(), memory.rss, memory.heapUsed, fds, sockets, lockWait, longestRead, lag]);
  longestRead = 0;
  try {
    const readable = [...active.values()].filter((run) => created.has(run));
    writeFileSync(activeFile(config.dir, config.worker), JSON.stringify(readable));
  } catch {
    // the phase directory is being removed
  }
}, 1000);

// ---------------------------------------------------------------------------------------------------------

const left = leftBehind();
const reader = readOthers();

async function slot(index: number): Promise<void> {
  let n = 0;
  const previous = left.get(index);
  if (previous !== undefined) {
    active.set(index, previous.run);
    await resolveUnknown(previous.run, previous.unknown);
    await drive(previous.run, false);
  }
  while (!stopping) {
    const runId = `w${config.worker}g${config.generation}s${index}n${++n}`;
    const before = active.get(index);
    if (before !== undefined) created.delete(before);
    active.set(index, runId);
    if (!(await drive(runId, true))) continue; // never created: the next id
  }
  active.delete(index);
}

await Promise.all(Array.from({ length: config.slots }, (_, i) => slot(i)));
stopping = true;
await reader;
clearInterval(sampler);
await store.close();
journal.write(['end', journal.now()]);
journal.close();

// The filesystem StorageDriver: {artifactsDir}/{runId}/run.json, events.jsonl, events.seal, nodes/{nodeId}.json.
//
// Writes hold the run lock (locks/run-lock.ts) and check the log first (log/handles.ts): damage fails them with
// STORE_CORRUPTED before anything is written. Reads take no lock and go through the view to the lines they
// need (log/reads.ts); when what they read does not hold together they read the whole log, and when that does
// not either (damage, an update being committed) they read again under the lock, and only damage found under
// the lock is reported. An update and its events are committed as run-state.ts describes; an append with
// conditions is checked against the run under the lock its batch is written under. The view and the node files
// are brought up to date after the appends (view/writer.ts).

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runAlreadyExists, runNotFound, storeCorrupted } from '../../contract/errors.js';
import { ID_PATTERN } from '../../contract/limits.js';
import { applyUpdate, checkConditions, selectRuns } from '../../contract/decide.js';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import type {
  AppendEventRequest,
  EventRequest,
  ImportRunRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';
import {
  discardFiles,
  placeFiles,
  readBytesOrNull,
  removeTemporaryFiles,
  replaceFile,
  type Staged,
  stageFiles,
  syncDirectory,
  writeBuffers,
  writeNewFile,
} from './files/io.js';
import { GroupCommit, Refused } from './log/group-commit.js';
import { Layout } from './files/layout.js';
import { checkLog, EVENTS_FILE, RunDamage } from './log/check.js';
import { LogFiles, type LogPosition } from './log/handles.js';
import { eventLine, LINE_END, parseEventLine, type UpdateMembers } from './log/line-format.js';
import { readOutputs, readPage, ViewMiss } from './log/reads.js';
import { completionsIn, nodeFileText } from './view/node-files.js';
import { RunLocks, RunMissing } from './locks/run-lock.js';
import {
  applyLogged,
  holdsRun,
  missingPart,
  readRunFile,
  readRunUnlocked,
  readSettledRun,
  runFileText,
  Unsettled,
} from './run-state.js';
import { EMPTY_SEAL, readSeal, SEAL_FILE, type Seal, sealRecord, writeSeal } from './log/seal.js';
import { ViewCache } from './view/view.js';
import { updateView, ViewWriter } from './view/writer.js';

export interface FilesystemDriverOptions {
  fsync: boolean;
}

interface Append {
  request: AppendEventRequest;
  timestamp: string;
}

/** A node file an append writes: the node's latest completion in it. */
interface NodeWrite {
  node_id: string;
  sequence: number;
  outputJson: string;
}

/** Each node's latest completion among events numbered from `first`: the node files they write. */
function latestNodes(events: readonly EventRequest[], first: number): NodeWrite[] {
  const latest = new Map<string, NodeWrite>();
  events.forEach(({ node }, i) => {
    if (node !== undefined) latest.set(node.node_id, { ...node, sequence: first + i });
  });
  return [...latest.values()];
}

/**
 * The lines of an update's events, numbered from `first`: the last one carries the update and commits them,
 * each before it names that line (log/line-format.ts).
 */
function updateLines(runId: string, events: readonly EventRequest[], first: number, at: string, update: UpdateMembers) {
  const last = first + events.length - 1;
  return events.map((event, i) =>
    first + i === last
      ? eventLine({ run_id: runId, ...event }, last, at, update)
      : eventLine({ run_id: runId, ...event }, first + i, at, undefined, last),
  );
}

/** The run when readSettledRun can say it at once; undefined when the run must be read as getRun reads it. */
function settledOrUndefined(layout: Layout, runId: string): WorkflowRun | undefined {
  try {
    return readSettledRun(layout, runId);
  } catch (error) {
    if (error instanceof RunDamage || error instanceof RunMissing) return undefined;
    throw error;
  }
}

/** Why an append is refused (its conditions against the run `current` gives, WF-SEQ-4), or undefined. */
function refusal(request: AppendEventRequest, current: () => WorkflowRun): Refused | undefined {
  if (request.expected_status === undefined && request.expected_metadata === undefined) return undefined;
  try {
    checkConditions(current(), request);
    return undefined;
  } catch (error) {
    if (error instanceof RunDamage) throw error;
    return new Refused(error);
  }
}

/** The contract's error for what the driver's parts throw: an unknown run, damage. */
function contractError(error: unknown, runId: string): unknown {
  if (error instanceof RunMissing) return runNotFound(runId);
  if (error instanceof RunDamage) return error.toError(runId);
  return error;
}

export class FilesystemDriver implements StorageDriver {
  readonly name = 'filesystem';
  private readonly locks: RunLocks;
  private readonly appends: GroupCommit<Append>;
  private readonly logs: LogFiles;
  private readonly views: ViewWriter;
  private readonly viewCache: ViewCache;

  constructor(
    private readonly layout: Layout,
    private readonly options: FilesystemDriverOptions,
  ) {
    this.locks = new RunLocks((runId) => layout.runDir(runId));
    this.logs = new LogFiles(layout);
    this.views = new ViewWriter(layout);
    this.viewCache = new ViewCache(layout);
    this.appends = new GroupCommit(this.locks, (runId, batch) => this.writeBatch(runId, batch));
  }

  async insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    const text = runFileText(runFromRecord(record));
    await this.placeRun(record.id, async (staged) => {
      await writeNewFile(staged.runFile(record.id), text, this.options.fsync);
      await writeNewFile(staged.eventsFile(record.id), '', this.options.fsync);
      await writeNewFile(staged.sealFile(record.id), sealRecord(EMPTY_SEAL), this.options.fsync);
    });
    return JSON.parse(text) as WorkflowRun;
  }

  /**
   * Assembles a run's directory aside (`fill` writes it through a layout rooted in .staging) and renames it
   * into place: the rename is atomic and fails when the run exists, so a run is never half-created and an
   * existing one is never touched.
   */
  private async placeRun(runId: string, fill: (staged: Layout) => Promise<void>): Promise<void> {
    const staged = new Layout(path.join(this.layout.staging, randomUUID()));
    await fs.mkdir(staged.nodesDir(runId), { recursive: true });
    try {
      await fill(staged);
      if (this.options.fsync) await syncDirectory(staged.runDir(runId));
      await fs.rename(staged.runDir(runId), this.layout.runDir(runId)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOTEMPTY' || error.code === 'EEXIST' ? runAlreadyExists(runId) : error;
      });
    } finally {
      await fs.rm(staged.root, { recursive: true, force: true });
    }
    if (this.options.fsync) await syncDirectory(this.layout.root);
  }

  /**
   * A whole run with its own timestamps and log, placed like a new run (all of it or nothing). A replaced
   * run goes to the trash first, under its lock: between the two renames the id names no run, and a crash
   * there leaves it absent (a rerun of the copy puts it back), never mixed.
   */
  async importRun({ run, events }: ImportRunRequest, options: { replace: boolean }): Promise<void> {
    const lines = events.map((e) => eventLine({ run_id: run.id, ...e }, e.sequence, e.timestamp));
    const log = Buffer.concat(lines);
    if (options.replace) await this.deleteRun(run.id);
    await this.placeRun(run.id, async (staged) => {
      await writeNewFile(
        staged.runFile(run.id),
        runFileText({ ...runFromRecord(run), updated_at: run.updated_at }),
        this.options.fsync,
      );
      await writeNewFile(staged.eventsFile(run.id), log, this.options.fsync);
      const seal = { last_sequence: events.length, log_bytes: log.length };
      await writeNewFile(staged.sealFile(run.id), sealRecord(seal), this.options.fsync);
      await updateView(staged, run.id); // the node files and the view, built from the log just written
    });
  }

  /** A read: without the lock, and again under it when what was read does not hold together. */
  private async read<T>(runId: string, attempt: (locked: boolean) => Promise<T>): Promise<T> {
    try {
      return await attempt(false);
    } catch (error) {
      if (!(error instanceof RunDamage || error instanceof Unsettled)) throw error;
    }
    return this.locks.withLock(runId, () => attempt(true));
  }

  /** The run; RunMissing or RunDamage as they are. */
  private readRun(id: string): Promise<WorkflowRun> {
    return this.read(id, async (locked) =>
      locked ? (await this.settle(id, false)).run : readRunUnlocked(this.layout, id),
    );
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    try {
      return await this.readRun(id);
    } catch (error) {
      if (error instanceof RunMissing) return null;
      throw contractError(error, id);
    }
  }

  /**
   * Every run (no index: each run's files are read, then filtered, ordered and paged); a damaged one fails the
   * listing naming it (and the others damaged), never left out silently.
   */
  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    const names = (await fs.readdir(this.layout.root)).filter((name) => ID_PATTERN.test(name));
    const runs: WorkflowRun[] = [];
    const damaged: [string, RunDamage][] = [];
    for (const name of names) {
      try {
        // Without a wait for most runs; the others (an update beyond the seal, damage) read as getRun reads.
        runs.push(settledOrUndefined(this.layout, name) ?? (await this.readRun(name)));
      } catch (error) {
        if (error instanceof RunDamage) damaged.push([name, error]);
        else if (!(error instanceof RunMissing)) throw error;
      }
    }
    if (damaged.length > 0) {
      const [runId, first] = damaged[0]!;
      const also = damaged.slice(1).map(([id, d]) => `; run "${id}" too (${d.where}: ${d.problem})`);
      throw storeCorrupted(runId, first.where, `${first.problem}${also.join('')}`, first);
    }
    return selectRuns(runs, request);
  }

  /**
   * Under the run lock: run.json and the log checked, and run.json holding every update of the log (rolled
   * forward when a crash left one beyond the seal). With `mustWrite`, failing to roll forward fails the call.
   */
  private async settle(runId: string, mustWrite: boolean): Promise<{ run: WorkflowRun; position: LogPosition }> {
    const run = readRunFile(this.layout, runId);
    const position = await this.logs.prepare(runId);
    return { run: await this.rollForward(runId, run, position, mustWrite), position };
  }

  /** Applies the update lines beyond the seal to run.json, then moves the seal past them (run-state.ts). */
  private async rollForward(
    runId: string,
    run: WorkflowRun,
    position: LogPosition,
    mustWrite: boolean,
  ): Promise<WorkflowRun> {
    if (position.pending.length === 0) return run;
    const rolled = position.pending.reduce(applyLogged, run);
    try {
      await replaceFile(this.layout.runFile(runId), runFileText(rolled), this.options.fsync);
      writeSeal(position.seal.fd, { last_sequence: position.lastSequence, log_bytes: position.end });
      position.pending = [];
    } catch (error) {
      await this.logs.drop(runId);
      if (mustWrite) throw error;
    }
    return rolled;
  }

  /** A write under the run lock; damage found makes this process check the run whole next time. */
  private async writing<T>(runId: string, body: () => Promise<T>): Promise<T> {
    try {
      return await this.locks.withLock(runId, async () => {
        try {
          return await body();
        } catch (error) {
          if (error instanceof RunDamage) await this.logs.drop(runId);
          throw error;
        }
      });
    } catch (error) {
      throw contractError(error, runId);
    }
  }

  updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    return this.writing(request.id, async () => {
      const { run: current, position } = await this.settle(request.id, true);
      const { run } = applyUpdate(current, request, now);
      if (request.events.length > 0) {
        await this.commitUpdate(run, request, position);
        return run;
      }
      // The seal durable before run.json changes (run-state.ts): a power loss cannot bring back an older one.
      if (this.options.fsync) await position.seal.datasync();
      await replaceFile(this.layout.runFile(run.id), runFileText(run), this.options.fsync);
      return run;
    });
  }

  /** An update with its events: their lines (the last one the commit), then run.json, then the seal (run-state.ts). */
  private async commitUpdate(run: WorkflowRun, request: UpdateRunRequest, position: LogPosition): Promise<void> {
    const first = position.lastSequence + 1;
    const last = first + request.events.length - 1;
    const metadataJson = request.metadata === undefined ? undefined : JSON.stringify(request.metadata);
    const lines = updateLines(run.id, request.events, first, run.updated_at, { status: request.status, metadataJson });
    const end = await this.appendLines(run.id, position, lines, last, latestNodes(request.events, first));
    try {
      await replaceFile(this.layout.runFile(run.id), runFileText(run), this.options.fsync);
    } catch (error) {
      // Committed all the same: the line stays beyond the seal, and run.json is rolled forward from it.
      await this.logs.drop(run.id);
      throw error;
    }
    await this.advanceSeal(run.id, position, { last_sequence: last, log_bytes: end });
    this.views.schedule(run.id);
  }

  async deleteRun(id: string): Promise<boolean> {
    const trashed = path.join(this.layout.trash, `${id}.${randomUUID()}`);
    let existed: boolean;
    try {
      existed = await this.locks.withLock(id, async () => {
        // A directory holding none of a run's files is not a run.
        if (!holdsRun(this.layout, id)) return false;
        // One rename makes the run disappear at once (its lock with it); removing its files can take its time.
        // No flush of its view is under way then, here or in another process (view/writer.ts).
        await this.logs.drop(id);
        await this.views.forget(id);
        await this.views.exclusive(id, () => fs.rename(this.layout.runDir(id), trashed));
        if (this.options.fsync) await syncDirectory(this.layout.root);
        return true;
      });
    } catch (error) {
      if (error instanceof RunMissing) return false;
      throw error;
    }
    if (existed) await fs.rm(trashed, { recursive: true, force: true });
    return existed;
  }

  async appendEvent(request: AppendEventRequest, timestamp: string): Promise<WorkflowEvent> {
    try {
      const sequence = await this.appends.append(request.run_id, { request, timestamp });
      return eventFromRequest(request, sequence, timestamp);
    } catch (error) {
      throw contractError(error, request.run_id);
    }
  }

  /**
   * Under the run lock: refuses the appends whose conditions the run does not meet, numbers the others after the
   * log's last line, writes them once, fsyncs once.
   */
  private async writeBatch(runId: string, batch: readonly Append[]): Promise<(number | Refused)[]> {
    try {
      const position = await this.logs.prepare(runId);
      let run: WorkflowRun | undefined;
      // run.json is checked with the log's first check, and rolled forward before the seal moves past an update.
      if (position.checkedWhole || position.pending.length > 0)
        run = await this.rollForward(runId, readRunFile(this.layout, runId), position, true);
      // The settled run: every update is in run.json, rolled forward above when one was not.
      const refused = batch.map(({ request }) => refusal(request, () => (run ??= readRunFile(this.layout, runId))));
      const accepted = batch.filter((_, i) => refused[i] === undefined);
      let next = position.lastSequence + 1;
      if (accepted.length > 0) await this.writeAppends(runId, position, accepted);
      return refused.map((refusal) => refusal ?? next++);
    } catch (error) {
      if (error instanceof RunDamage) await this.logs.drop(runId);
      throw error;
    }
  }

  /** Appends numbered after the log's last line, written at once, and the seal moved past them. */
  private async writeAppends(runId: string, position: LogPosition, appends: readonly Append[]): Promise<void> {
    const first = position.lastSequence + 1;
    const last = first + appends.length - 1;
    const lines = appends.map(({ request, timestamp }, i) => eventLine(request, first + i, timestamp));
    const nodes = latestNodes(
      appends.map(({ request }) => request),
      first,
    );
    const end = await this.appendLines(runId, position, lines, last, nodes);
    await this.advanceSeal(runId, position, { last_sequence: last, log_bytes: end });
    // The view is derived from the log: brought up to date after the appends, not in them.
    this.views.schedule(runId);
  }

  /**
   * Appends complete lines at the log's end (cutting a torn last line first), durable before this returns, and
   * the node files of the completions among them. A node file is a view of the log (no fsync; a failure to write
   * one does not undo the append, and the view's next flush writes it): with fsync its temporary file is written
   * while the log's fdatasync runs — creating a file costs about as much — and renamed over the node file once
   * the line is durable, so that no node file ever shows a completion the log may not keep.
   */
  private async appendLines(
    runId: string,
    position: LogPosition,
    lines: readonly Buffer[],
    lastSequence: number,
    nodes: readonly NodeWrite[],
  ): Promise<number> {
    // No write of this run is under way: temporary files are leftovers of writes that did not finish (in nodes/,
    // once no flush of its view is under way either).
    if (position.checkedWhole) {
      await removeTemporaryFiles([this.layout.runDir(runId)]);
      await this.views.exclusive(runId, () => removeTemporaryFiles([this.layout.nodesDir(runId)]));
    }
    const files = nodes.map((n): [string, Buffer] => [
      this.layout.nodeFile(runId, n.node_id),
      nodeFileText(n.node_id, n.sequence, n.outputJson),
    ]);
    let staged: Staged[] = [];
    try {
      // A torn last line (a crash mid-append) is cut off before anything is appended after it.
      if (position.size > position.end) await position.handle.truncate(position.end);
      await writeBuffers(position.handle, lines, position.end);
      if (this.options.fsync) {
        const synced = position.handle.datasync();
        staged = stageFiles(files);
        await synced;
      }
    } catch (error) {
      await position.handle.truncate(position.end).catch(() => {}); // a refused call leaves nothing behind
      await this.logs.drop(runId);
      discardFiles(staged);
      throw error;
    }
    this.logs.written(runId, position.handle, lastSequence);
    placeFiles(staged);
    if (!this.options.fsync) for (const [file, text] of files) await replaceFile(file, text, false).catch(() => {});
    return position.end + lines.reduce((sum, line) => sum + line.length, 0);
  }

  /** Moves the seal past lines just written. Not fsynced: a seal that lags after a power loss is no damage. */
  private async advanceSeal(runId: string, position: LogPosition, seal: Seal): Promise<void> {
    try {
      writeSeal(position.seal.fd, seal);
    } catch {
      await this.logs.drop(runId); // the lines are written; the next write checks the log whole
    }
  }

  /** The run's whole log, checked line by line and against its seal. */
  private async readLog(runId: string) {
    const seal = readSeal(this.layout.sealFile(runId));
    if (seal === null) throw missingPart(this.layout, runId, SEAL_FILE);
    const bytes = await readBytesOrNull(this.layout.eventsFile(runId));
    if (bytes === null) throw missingPart(this.layout, runId, EVENTS_FILE);
    return { bytes, log: checkLog(runId, bytes, seal) };
  }

  /**
   * A read through the view (`viaView`), or of the whole log when what the view led to does not hold; then
   * the view is rebuilt, and damage, if that is what it was, is reported from the whole log. A view behind the
   * log is brought up to date after the read.
   */
  private async viewRead<T>(
    runId: string,
    viaView: () => { behind: boolean; value: T },
    whole: (bytes: Buffer, end: number) => T,
  ): Promise<T> {
    return this.read(runId, async () => {
      try {
        const { behind, value } = viaView();
        if (behind) this.views.schedule(runId);
        return value;
      } catch (error) {
        if (!(error instanceof ViewMiss || error instanceof RunDamage)) throw error;
      }
      const { bytes, log } = await this.readLog(runId);
      this.views.schedule(runId, true); // the log holds: the view misled the read
      return whole(bytes, log.end);
    });
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    const { run_id: runId, after_sequence: after, limit } = request;
    try {
      return await this.viewRead(
        runId,
        () => {
          const page = readPage(this.layout, this.viewCache, runId, after, limit);
          return { behind: page.behind, value: page.events };
        },
        (bytes, end) => eventsPage(bytes, end, after, limit),
      );
    } catch (error) {
      throw contractError(error, runId);
    }
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    try {
      return await this.viewRead(
        runId,
        () => {
          const read = readOutputs(this.layout, this.viewCache, runId);
          return { behind: read.behind, value: read.outputs };
        },
        (bytes, end) => {
          const latest = [...completionsIn(bytes.subarray(0, end))].sort((a, b) => a[1].sequence - b[1].sequence);
          return new Map(latest.map(([nodeId, node]) => [nodeId, node.output]));
        },
      );
    } catch (error) {
      throw contractError(error, runId);
    }
  }

  async close(): Promise<void> {
    await this.views.close();
    await this.logs.close();
    await this.locks.close();
  }
}

/** Events after_sequence + 1 … of checked log bytes: line k holds sequence k (checked), so no line is parsed twice. */
function eventsPage(bytes: Buffer, end: number, after: number, limit: number | undefined): WorkflowEvent[] {
  let position = 0;
  for (let skipped = 0; skipped < after && position < end; skipped++) position = bytes.indexOf(LINE_END, position) + 1;
  const events: WorkflowEvent[] = [];
  while (position < end && (limit === undefined || events.length < limit)) {
    const newline = bytes.indexOf(LINE_END, position);
    events.push(parseEventLine(bytes.toString('utf8', position, newline)));
    position = newline + 1;
  }
  return events;
}

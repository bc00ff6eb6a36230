// The filesystem StorageDriver: {artifactsDir}/{runId}/run.json, events.jsonl, nodes/{nodeId}.json.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runAlreadyExists, runNotFound } from '../../contract/errors.js';
import { applyUpdate, selectRuns } from '../../contract/rules.js';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import { ID_PATTERN } from '../../contract/limits.js';
import type {
  CreateEventRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';
import { isNotFound, readTextOrNull, replaceFile, syncDirectory, writeAll, writeNewFile } from './files.js';
import { completeLines, eventLine, parseEventLine, sequenceOfLine } from './log-format.js';
import { LogFiles, type LogPosition } from './log-files.js';
import type { Layout } from './layout.js';
import { nodeFileText, readCompletedOutputs } from './outputs.js';
import { GroupCommit } from './group-commit.js';
import { RunLocks } from './run-lock.js';

export interface FilesystemDriverOptions {
  fsync: boolean;
}

export class FilesystemDriver implements StorageDriver {
  readonly name = 'filesystem';
  private readonly locks: RunLocks;
  private readonly appends: GroupCommit<{ request: CreateEventRequest; timestamp: string }>;
  private readonly logs = new LogFiles();

  constructor(
    private readonly layout: Layout,
    private readonly options: FilesystemDriverOptions,
  ) {
    this.locks = new RunLocks({ directory: layout.locks });
    this.appends = new GroupCommit(this.locks, (runId, batch) => this.writeBatch(runId, batch));
  }

  async insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    const text = runFileText(runFromRecord(record));
    // Assemble the run's directory aside and rename it into place: the rename is atomic and fails when
    // the run exists, so a run is never half-created and an existing one is never touched.
    const staged = path.join(this.layout.staging, randomUUID());
    await fs.mkdir(path.join(staged, 'nodes'), { recursive: true });
    try {
      await writeNewFile(path.join(staged, 'run.json'), text, this.options.fsync);
      await writeNewFile(path.join(staged, 'events.jsonl'), '', this.options.fsync);
      if (this.options.fsync) await syncDirectory(staged);
      try {
        await fs.rename(staged, this.layout.runDir(record.id));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw runAlreadyExists(record.id);
        throw error;
      }
    } catch (error) {
      await fs.rm(staged, { recursive: true, force: true });
      throw error;
    }
    if (this.options.fsync) await syncDirectory(this.layout.root);
    return JSON.parse(text) as WorkflowRun;
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    const text = await readTextOrNull(this.layout.runFile(id));
    return text === null ? null : (JSON.parse(text) as WorkflowRun);
  }

  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    const names = (await fs.readdir(this.layout.root)).filter((name) => ID_PATTERN.test(name));
    const runs = await Promise.all(names.map((name) => this.getRun(name)));
    return selectRuns(
      runs.filter((run) => run !== null),
      request,
    );
  }

  updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    return this.locks.withLock(request.id, async () => {
      const current = await this.getRun(request.id);
      if (current === null) throw runNotFound(request.id);
      const { run } = applyUpdate(current, request, now);
      await replaceFile(this.layout.runFile(request.id), runFileText(run), this.options.fsync);
      return run;
    });
  }

  async deleteRun(id: string): Promise<boolean> {
    const trashed = path.join(this.layout.trash, `${id}.${randomUUID()}`);
    const existed = await this.locks.withLock(id, async () => {
      if ((await readTextOrNull(this.layout.runFile(id))) === null) return false;
      // One rename makes the run disappear at once; removing its files can then take its time.
      await this.logs.drop(id);
      await fs.rename(this.layout.runDir(id), trashed);
      if (this.options.fsync) await syncDirectory(this.layout.root);
      return true;
    });
    if (existed) await fs.rm(trashed, { recursive: true, force: true });
    return existed;
  }

  async appendEvent(request: CreateEventRequest, timestamp: string): Promise<WorkflowEvent> {
    const sequence = await this.appends.append(request.run_id, { request, timestamp });
    return eventFromRequest(request, sequence, timestamp);
  }

  /** Under the run lock: numbers the batch after the log's last line, writes it once, fsyncs once. */
  private async writeBatch(
    runId: string,
    batch: readonly { request: CreateEventRequest; timestamp: string }[],
  ): Promise<number[]> {
    let log: LogPosition;
    try {
      log = await this.logs.cutTornTailAndFindEnd(runId, this.layout.eventsFile(runId));
    } catch (error) {
      if (isNotFound(error)) {
        await this.logs.drop(runId);
        throw runNotFound(runId);
      }
      throw error;
    }
    const first = (log.lastSequence ?? lastSequenceIn(log.lastLine!, runId)) + 1;
    const data = Buffer.from(
      batch.map(({ request, timestamp }, i) => eventLine(request, first + i, timestamp)).join(''),
    );
    try {
      await writeAll(log.handle, data, log.end);
      if (this.options.fsync) await log.handle.datasync();
    } catch (error) {
      await log.handle.truncate(log.end).catch(() => {}); // a refused call leaves nothing behind
      await this.logs.drop(runId);
      throw error;
    }
    this.logs.appended(runId, log.end + data.length, first + batch.length - 1);
    // Node files are a view of the log, rebuilt from it when missing or stale (outputs.ts), so they
    // need no fsync, and a failure to write one does not undo the durable append.
    const latest = new Map<string, { sequence: number; outputJson: string }>();
    batch.forEach(({ request }, i) => {
      if (request.node !== undefined)
        latest.set(request.node.node_id, { sequence: first + i, outputJson: request.node.outputJson });
    });
    for (const [nodeId, { sequence, outputJson }] of latest) {
      await replaceFile(this.layout.nodeFile(runId, nodeId), nodeFileText(nodeId, sequence, outputJson), false).catch(
        () => {},
      );
    }
    return batch.map((_, i) => first + i);
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    const text = await readTextOrNull(this.layout.eventsFile(request.run_id));
    if (text === null) throw runNotFound(request.run_id);
    const lines = completeLines(text);
    // Line k holds sequence k + 1 (checked below), so a page starts at line after_sequence.
    const stop =
      request.limit === undefined ? lines.length : Math.min(lines.length, request.after_sequence + request.limit);
    const events: WorkflowEvent[] = [];
    for (let index = request.after_sequence; index < stop; index++) {
      const event = parseEventLine(lines[index]!);
      if (event.sequence !== index + 1) {
        throw new Error(
          `events.jsonl of run "${request.run_id}" is corrupt: line ${index + 1} holds sequence ${event.sequence}`,
        );
      }
      events.push(event);
    }
    return events;
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    const read = (repair: boolean) =>
      readCompletedOutputs(this.layout, runId, { repair, notFound: () => runNotFound(runId) });
    // Without writing, no lock is needed; repairs happen under the run lock.
    return (await read(false)) ?? (await this.locks.withLock(runId, async () => (await read(true))!));
  }

  async close(): Promise<void> {
    await this.logs.close();
    await this.locks.close();
  }
}

function runFileText(run: WorkflowRun): string {
  return JSON.stringify(run);
}

/** The sequence of the log's last line, which the next append follows. */
function lastSequenceIn(line: string, runId: string): number {
  const sequence = sequenceOfLine(line);
  if (sequence === undefined) {
    throw new Error(`events.jsonl of run "${runId}" is corrupt: its last line has no valid sequence`);
  }
  return sequence;
}

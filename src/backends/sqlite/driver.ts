// The SQLite StorageDriver. better-sqlite3 is synchronous: within one process calls never interleave.
// Writes (writes.ts) go through group commit (group-commit.ts): those that arrive together share one
// BEGIN IMMEDIATE transaction and one commit, each in its own savepoint; across processes, each batch takes
// the database's write lock up front and waits for it up to busy_timeout. Reads check what they return in
// one snapshot.

import type Database from 'better-sqlite3';
import { runAlreadyExists } from '../../contract/errors.js';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import type {
  AppendEventRequest,
  ImportRunRequest,
  ListEventsRequest,
  ListRunsRequest,
  UpdateRunRequest,
} from '../../contract/validation.js';
import { eventFromRequest, runFromRecord, type NewRunRecord, type StorageDriver } from '../define-store.js';
import { checkOutputs, checkPage } from '../sql/integrity.js';
import { newRunValues, type RunRow, toRun } from '../sql/rows.js';
import { SqliteGroupCommit } from './group-commit.js';
import { prepareQueries, type Queries, runLister } from './queries.js';
import * as writes from './writes.js';

export class SqliteDriver implements StorageDriver {
  readonly name = 'sqlite';
  private readonly q: Queries;
  private readonly commits: SqliteGroupCommit;
  private readonly listRunsQuery: (request: ListRunsRequest) => RunRow[];
  private readonly listEventsTx: (request: ListEventsRequest) => WorkflowEvent[];
  private readonly outputsTx: (runId: string) => Map<string, JsonValue>;

  constructor(private readonly db: Database.Database) {
    const q = prepareQueries(db);
    this.q = q;
    this.commits = new SqliteGroupCommit(db);
    this.listRunsQuery = runLister(db);
    this.listEventsTx = db.transaction((request: ListEventsRequest) => {
      const last = writes.checkedLast(q, request.run_id);
      return checkPage(request, last, q.listEvents.all(request.run_id, request.after_sequence, request.limit ?? -1));
    });
    this.outputsTx = db.transaction((runId: string) => {
      writes.checkedLast(q, runId);
      return checkOutputs(runId, q.outputs.all(runId));
    });
  }

  insertRun(record: NewRunRecord): Promise<WorkflowRun> {
    return this.commits.write(() => {
      if (this.q.insertRun.run(...newRunValues(record)).changes === 0) throw runAlreadyExists(record.id);
      return runFromRecord(record);
    });
  }

  async getRun(id: string): Promise<WorkflowRun | null> {
    const row = this.q.getRun.get(id);
    return row === undefined ? null : toRun(row);
  }

  async listRuns(request: ListRunsRequest): Promise<WorkflowRun[]> {
    return this.listRunsQuery(request).map(toRun);
  }

  updateRun(request: UpdateRunRequest, now: string): Promise<WorkflowRun> {
    return this.commits.write(() => writes.updateRun(this.q, request, now));
  }

  deleteRun(id: string): Promise<boolean> {
    return this.commits.write(() => this.q.deleteRun.run(id).changes > 0);
  }

  async appendEvent(request: AppendEventRequest, timestamp: string): Promise<WorkflowEvent> {
    const sequence = await this.commits.write(() => writes.appendEvent(this.q, request, timestamp));
    return eventFromRequest(request, sequence, timestamp);
  }

  async listEvents(request: ListEventsRequest): Promise<WorkflowEvent[]> {
    return this.listEventsTx(request);
  }

  async completedOutputs(runId: string): Promise<Map<string, JsonValue>> {
    return this.outputsTx(runId);
  }

  importRun(request: ImportRunRequest, options: { replace: boolean }): Promise<void> {
    return this.commits.write(() => writes.importRun(this.q, request, options.replace));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

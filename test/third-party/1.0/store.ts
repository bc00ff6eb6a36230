/**
 * A third-party IWorkflowStore of the contract 1.0 era: the 1.1 store beside it (../store.ts) without what
 * 1.0's harness did not check — no `event` option on updateWorkflowRun (WF-UPD-4), no Proxy check on input
 * (WF-VAL-2), `event_type` any non-empty string up to 128 characters (no pattern, WF-VAL-8). Its
 * initializer pins contract 1.0.
 *
 * Data lives in memory in a `Database` (plain maps). Two stores opened on the same Database see the
 * same data: that is this backend's "reopen". Every operation runs as one transaction on the
 * Database's queue, one at a time, so concurrent callers (also through different stores on one
 * Database) never interleave inside an operation (WF-SEQ-1, WF-CAS-1, WF-OUT-3).
 *
 * Deliberate choices where the contract only recommends (SHOULD):
 * - the real clock and crypto.randomUUID(), no injected `now` / `generateId` (WF-DET-1);
 * - our own messages, without the operation's name (WF-ERR-3);
 * - `field` only on some INVALID_INPUT errors (WF-ERR-4);
 * - the outputs map in the order of each node's FIRST completion (WF-OUT-4).
 */
import { randomUUID } from 'node:crypto';
import type {
  IWorkflowStore,
  JsonObject,
  JsonValue,
  RunStatus,
  WorkflowEvent,
  WorkflowRun,
} from '../../../src/contract/types.js';

// ---------------------------------------------------------------------------------------------
// Constants from the contract

const STATUSES: readonly string[] = ['pending', 'running', 'paused', 'completed', 'failed', 'cancelled'];

/** WF-TRN-1. Staying on the same status is always allowed (WF-UPD-3) and is checked apart. */
const TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  pending: ['running', 'failed', 'cancelled'],
  running: ['paused', 'completed', 'failed', 'cancelled'],
  paused: ['running', 'failed', 'cancelled'],
  failed: ['running'],
  completed: [],
  cancelled: [],
};

const JSON_MAX_DEPTH = 1000; // WF-VAL-3
const MAX_JSON_BYTES = 16 * 1024 * 1024; // WF-VAL-8
const MAX_USER_MESSAGE_BYTES = 1024 * 1024; // WF-VAL-8
const MAX_WORKFLOW_NAME_LENGTH = 256; // WF-VAL-8
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/; // WF-VAL-6
const NODE_COMPLETED = 'node_completed'; // WF-OUT-1

// ---------------------------------------------------------------------------------------------
// Errors (WF-ERR-1): recognised by name and code, so our own class is fine.

export type StoreErrorCode =
  | 'RUN_NOT_FOUND'
  | 'RUN_ALREADY_EXISTS'
  | 'INVALID_TRANSITION'
  | 'STATUS_CONFLICT'
  | 'INVALID_INPUT'
  | 'STORE_CLOSED'
  | 'BACKEND_FAILURE';

interface StoreErrorDetails {
  field?: string;
  runId?: string;
  from?: RunStatus;
  to?: RunStatus;
  cause?: unknown;
}

export class StoreError extends Error {
  override name = 'WorkflowStoreError';
  readonly code: StoreErrorCode;
  field?: string;
  runId?: string;
  from?: RunStatus;
  to?: RunStatus;

  constructor(code: StoreErrorCode, message: string, details: StoreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    // Only the details we know are set, so that an absent `field` is really absent.
    if (details.field !== undefined) this.field = details.field;
    if (details.runId !== undefined) this.runId = details.runId;
    if (details.from !== undefined) this.from = details.from;
    if (details.to !== undefined) this.to = details.to;
  }
}

function invalid(message: string, field?: string): never {
  throw new StoreError('INVALID_INPUT', message, field === undefined ? {} : { field });
}

function notFound(runId: string): StoreError {
  return new StoreError('RUN_NOT_FOUND', `there is no run with id "${runId}"`, { runId });
}

// ---------------------------------------------------------------------------------------------
// Reading input (WF-VAL-1, WF-VAL-2, WF-VAL-3, WF-VAL-9).
//
// Input is read exactly once, through property descriptors (so no getter ever runs), and what is
// read is copied at once: the copy is what gets validated and stored, so a caller changing its
// objects afterwards changes nothing (WF-CPY-1).

/** The own data properties of an operation's input object, refusing anything that is not plain data. */
function readInputObject(value: unknown, what: string, allowed: readonly string[]): Map<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${what} must be a plain object`);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) invalid(`${what} must be a plain object`);
  const fields = new Map<string, unknown>();
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') invalid(`${what} has a symbol key`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined) continue;
    if (!('value' in descriptor)) invalid(`${what} has an accessor property "${key}"`);
    if (!descriptor.enumerable) invalid(`${what} has a non-enumerable property "${key}"`);
    if (!allowed.includes(key)) invalid(`${what} has an unknown field "${key}"`);
    // An optional field set to undefined counts as absent (WF-VAL-9).
    if (descriptor.value !== undefined) fields.set(key, descriptor.value);
  }
  return fields;
}

/** An optional options argument: absent/undefined means no options. */
function readOptions(value: unknown, what: string, allowed: readonly string[]): Map<string, unknown> {
  return value === undefined ? new Map() : readInputObject(value, what, allowed);
}

/** `payload.steps[1].when`; a very deep path is shortened so that the message stays readable. */
function describePath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text.length > 120 ? `${text.slice(0, 60)}…${text.slice(-40)}` : text;
}

/** Adds an own enumerable data property, also for the key "__proto__" (WF-VAL-4). */
function defineKey(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Validates a JSON value and returns a fresh copy of it. `path` holds the keys from the operation's
 * field down to `value`, for the message; `level` is the nesting of containers around `value`.
 */
function copyJson(value: unknown, path: (string | number)[], level: number, ancestors: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) invalid(`${describePath(path)} is not a finite number`);
      return value === 0 ? 0 : value; // -0 comes back as 0
    case 'object':
      break;
    default:
      invalid(`${describePath(path)} is not JSON (${typeof value})`);
  }
  if (value === null) return null;
  if (level + 1 > JSON_MAX_DEPTH) invalid(`${describePath(path)} nests deeper than ${JSON_MAX_DEPTH} levels`);
  if (ancestors.has(value)) invalid(`${describePath(path)} refers back to itself`);
  ancestors.add(value);
  try {
    return Array.isArray(value) ? copyArray(value, path, level, ancestors) : copyObject(value, path, level, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function copyArray(value: unknown[], path: (string | number)[], level: number, ancestors: Set<object>): JsonValue[] {
  if (Object.getPrototypeOf(value) !== Array.prototype) invalid(`${describePath(path)} is not a plain array`);
  const length = (Object.getOwnPropertyDescriptor(value, 'length')?.value ?? 0) as number;
  // A plain dense array has exactly its indices and `length` as own keys.
  const keys = Reflect.ownKeys(value);
  if (keys.length !== length + 1) {
    const extra = keys.find((key) => key !== 'length' && !(typeof key === 'string' && isIndexBelow(key, length)));
    if (extra !== undefined) invalid(`${describePath(path)} has a property other than its elements`);
    invalid(`${describePath(path)} has holes`);
  }
  const copy: JsonValue[] = [];
  for (let index = 0; index < length; index++) {
    const descriptor = Object.getOwnPropertyDescriptor(value, index);
    path.push(index);
    if (descriptor === undefined) invalid(`${describePath(path)} is a hole`);
    if (!('value' in descriptor)) invalid(`${describePath(path)} is an accessor`);
    if (!descriptor.enumerable) invalid(`${describePath(path)} is not enumerable`);
    copy.push(copyJson(descriptor.value, path, level + 1, ancestors));
    path.pop();
  }
  return copy;
}

function isIndexBelow(key: string, length: number): boolean {
  const index = Number(key);
  return Number.isInteger(index) && index >= 0 && index < length && String(index) === key;
}

function copyObject(value: object, path: (string | number)[], level: number, ancestors: Set<object>): JsonObject {
  const proto = Object.getPrototypeOf(value);
  // Date, Map, Set, typed arrays, Buffers, boxed primitives and class instances all fail here.
  if (proto !== Object.prototype && proto !== null) invalid(`${describePath(path)} is not a plain object`);
  const copy: JsonObject = {};
  // Reflect.ownKeys gives the order JavaScript gives (integer-like keys first), as JSON.stringify would.
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') invalid(`${describePath(path)} has a symbol key`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined) continue;
    path.push(key);
    if (!('value' in descriptor)) invalid(`${describePath(path)} is an accessor`);
    if (!descriptor.enumerable) invalid(`${describePath(path)} is not enumerable`);
    defineKey(copy, key, copyJson(descriptor.value, path, level + 1, ancestors));
    path.pop();
  }
  return copy;
}

function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** A JSON object field (metadata, payload): validated, copied and within the size limit. */
function readJsonObject(value: unknown, name: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${name} must be a JSON object`);
  const copy = copyJson(value, [name], 0, new Set()) as JsonObject;
  if (jsonBytes(copy) > MAX_JSON_BYTES) invalid(`${name} is larger than 16 MiB`);
  return copy;
}

function readIdentifier(value: unknown, name: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    invalid(`${name} must be 1 to 128 characters of [A-Za-z0-9._-] starting with a letter or digit`, name);
  }
  return value;
}

function readStatus(value: unknown, name: string): RunStatus {
  if (typeof value !== 'string' || !STATUSES.includes(value)) invalid(`${name} is not a run status`);
  return value as RunStatus;
}

function readPlainText(value: unknown, name: string): string {
  if (typeof value !== 'string') invalid(`${name} must be a string`);
  if (!value.isWellFormed()) invalid(`${name} holds a lone surrogate`);
  if (value.includes('\u0000')) invalid(`${name} holds U+0000`);
  return value;
}

function readWorkflowName(value: unknown, name: string): string {
  const text = readPlainText(value, name);
  if (text.length < 1 || text.length > MAX_WORKFLOW_NAME_LENGTH) invalid(`${name} must be 1 to 256 characters long`);
  return text;
}

function readCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(`${name} must be a whole number, zero or more`);
  }
  return value === 0 ? 0 : value;
}

// ---------------------------------------------------------------------------------------------
// Copies on the way out (WF-CPY-1). Stored values are already plain, validated data.

function cloneJson(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) defineKey(copy, key, cloneJson(value[key] as JsonValue));
  return copy;
}

function cloneRun(run: WorkflowRun): WorkflowRun {
  return { ...run, metadata: cloneJson(run.metadata) as JsonObject };
}

function cloneEvent(event: WorkflowEvent): WorkflowEvent {
  return { ...event, payload: cloneJson(event.payload) as JsonObject };
}

// ---------------------------------------------------------------------------------------------
// The database

interface RunRecord {
  run: WorkflowRun;
  /** events[i] has sequence i + 1. */
  events: WorkflowEvent[];
  /** node id → latest output; a Map keeps the position of a node's first completion. */
  outputs: Map<string, JsonValue>;
}

/** Simulated I/O latency: every transaction waits for the event loop once, as a real backend would. */
function io(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A new event, read and checked: its type, payload and, for node_completed, the completion. */
interface NewEvent {
  eventType: string;
  payload: JsonObject;
  completion: { nodeId: string; output: JsonValue } | undefined;
}

function readNewEvent(input: unknown, fieldsAllowed: string[]): NewEvent {
  const fields = readInputObject(input, 'the new event', fieldsAllowed);
  const eventType = fields.get('event_type');
  if (typeof eventType !== 'string' || eventType.length < 1 || eventType.length > 128) {
    invalid('event_type must be 1 to 128 characters');
  }
  const payload = fields.has('payload') ? readJsonObject(fields.get('payload'), 'payload') : {};
  let completion: NewEvent['completion'];
  if (eventType === NODE_COMPLETED) {
    const nodeId = payload.node_id;
    if (typeof nodeId !== 'string' || !IDENTIFIER.test(nodeId)) {
      invalid('a node_completed event needs payload.node_id, a valid identifier');
    }
    completion = { nodeId, output: Object.hasOwn(payload, 'output') ? (payload.output as JsonValue) : null };
  }
  return { eventType, payload, completion };
}

/** Appends in one synchronous step: the event and its output both, or neither (WF-OUT-2). */
function appendTo(record: RunRecord, runId: string, event: NewEvent, timestamp: string): WorkflowEvent {
  const stored: WorkflowEvent = {
    run_id: runId,
    sequence: record.events.length + 1,
    event_type: event.eventType,
    timestamp,
    payload: event.payload,
  };
  record.events.push(stored);
  if (event.completion !== undefined) record.outputs.set(event.completion.nodeId, event.completion.output);
  return stored;
}

export class Database {
  readonly runs = new Map<string, RunRecord>();
  private queue: Promise<void> = Promise.resolve();

  /**
   * Runs `transaction` once every transaction queued before it has settled. The transaction itself is
   * synchronous, so its reads and writes are atomic: this queue is our "lock".
   */
  transact<T>(transaction: (runs: Map<string, RunRecord>) => T): Promise<T> {
    const result = this.queue.then(async () => {
      await io();
      try {
        return transaction(this.runs);
      } catch (error) {
        if (error instanceof StoreError) throw error;
        throw new StoreError('BACKEND_FAILURE', 'the in-memory database failed', { cause: error });
      }
    });
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Drops all data (used to destroy a store's data in tests). */
  clear(): void {
    this.runs.clear();
  }
}

function now(): string {
  return new Date().toISOString();
}

// ---------------------------------------------------------------------------------------------
// The store

export interface ThirdPartyStoreOptions {
  database?: Database;
  /** A bug planted for the harness to catch: `expected_status` ignored (a 1.0 rule, WF-CAS-1). */
  plantedBug?: 'expected-status-ignored';
}

class ThirdPartyStore implements IWorkflowStore {
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly database: Database,
    private readonly plantedBug?: ThirdPartyStoreOptions['plantedBug'],
  ) {}

  /**
   * Every operation goes through here: refuse if closed (WF-CLS-1), then `prepare` reads and
   * validates the input synchronously, at the time of the call, and returns the transaction.
   * The promise handed back is the one tracked, so close() settles after it (WF-CLS-2).
   */
  private call<T>(prepare: () => (runs: Map<string, RunRecord>) => T): Promise<T> {
    let result: Promise<T>;
    try {
      if (this.closed) throw new StoreError('STORE_CLOSED', 'this store has been closed');
      result = this.database.transact(prepare());
    } catch (error) {
      return Promise.reject(error);
    }
    this.inFlight.add(result);
    const forget = () => {
      this.inFlight.delete(result);
    };
    result.then(forget, forget);
    return result;
  }

  createWorkflowRun(input: Parameters<IWorkflowStore['createWorkflowRun']>[0]): Promise<WorkflowRun> {
    return this.call(() => {
      const fields = readInputObject(input, 'the new run', [
        'id',
        'workflow_name',
        'user_message',
        'status',
        'metadata',
      ]);
      const id = fields.has('id') ? readIdentifier(fields.get('id'), 'id') : undefined;
      const workflowName = readWorkflowName(fields.get('workflow_name'), 'workflow_name');
      const userMessage = readPlainText(fields.get('user_message'), 'user_message');
      if (Buffer.byteLength(userMessage, 'utf8') > MAX_USER_MESSAGE_BYTES) invalid('user_message is larger than 1 MiB');
      const status = fields.has('status') ? readStatus(fields.get('status'), 'status') : 'pending';
      const metadata = fields.has('metadata') ? readJsonObject(fields.get('metadata'), 'metadata') : {};
      return (runs) => {
        if (id !== undefined && runs.has(id)) {
          throw new StoreError('RUN_ALREADY_EXISTS', `a run with id "${id}" is already stored`, { runId: id });
        }
        let runId = id ?? randomUUID();
        while (runs.has(runId)) runId = randomUUID();
        const timestamp = now();
        const run: WorkflowRun = {
          id: runId,
          workflow_name: workflowName,
          status,
          user_message: userMessage,
          metadata,
          created_at: timestamp,
          updated_at: timestamp,
        };
        runs.set(runId, { run, events: [], outputs: new Map() });
        return cloneRun(run);
      };
    });
  }

  getWorkflowRun(id: string): Promise<WorkflowRun | null> {
    return this.call(() => {
      const runId = readIdentifier(id, 'id');
      return (runs) => {
        const record = runs.get(runId);
        return record === undefined ? null : cloneRun(record.run);
      };
    });
  }

  listWorkflowRuns(options?: Parameters<IWorkflowStore['listWorkflowRuns']>[0]): Promise<WorkflowRun[]> {
    return this.call(() => {
      const fields = readOptions(options, 'the list options', ['status', 'workflow_name', 'limit']);
      const status = fields.has('status') ? readStatus(fields.get('status'), 'status') : undefined;
      // Contract 1.1: the filter follows the rules of workflow_name (WF-VAL-9).
      const workflowName = fields.has('workflow_name')
        ? readWorkflowName(fields.get('workflow_name'), 'workflow_name')
        : undefined;
      const limit = fields.has('limit') ? readCount(fields.get('limit'), 'limit') : undefined;
      return (runs) => {
        const selected = [...runs.values()]
          .map((record) => record.run)
          .filter((run) => status === undefined || run.status === status)
          .filter((run) => workflowName === undefined || run.workflow_name === workflowName)
          // created_at, then id in UTF-16 code-unit order (plain < on strings) (WF-RUN-4)
          .sort((a, b) => compare(a.created_at, b.created_at) || compare(a.id, b.id));
        return (limit === undefined ? selected : selected.slice(0, limit)).map(cloneRun);
      };
    });
  }

  updateWorkflowRun(
    id: string,
    patch: Parameters<IWorkflowStore['updateWorkflowRun']>[1],
    options?: Parameters<IWorkflowStore['updateWorkflowRun']>[2],
  ): Promise<WorkflowRun> {
    return this.call(() => {
      // WF-CAS-2: input first, then existence, expected_status, transition.
      const runId = readIdentifier(id, 'id');
      const fields = readInputObject(patch, 'the patch', ['status', 'metadata']);
      const status = fields.has('status') ? readStatus(fields.get('status'), 'status') : undefined;
      const metadataPatch = fields.has('metadata') ? readJsonObject(fields.get('metadata'), 'metadata') : undefined;
      const optionFields = readOptions(options, 'the update options', ['expected_status']);
      const expected = optionFields.has('expected_status')
        ? readStatus(optionFields.get('expected_status'), 'expected_status')
        : undefined;
      return (runs) => {
        const record = runs.get(runId);
        if (record === undefined) throw notFound(runId);
        const stored = record.run;
        const checkExpected = this.plantedBug !== 'expected-status-ignored';
        if (checkExpected && expected !== undefined && stored.status !== expected) {
          throw new StoreError('STATUS_CONFLICT', `run "${runId}" is ${stored.status}, not ${expected}`, { runId });
        }
        if (status !== undefined && status !== stored.status && !TRANSITIONS[stored.status].includes(status)) {
          throw new StoreError('INVALID_TRANSITION', `a ${stored.status} run cannot become ${status}`, {
            runId,
            from: stored.status,
            to: status,
          });
        }
        // The size of the merged metadata is input validation too, but needs the stored run: checked last,
        // when the update would otherwise apply (WF-VAL-15).
        const metadata = metadataPatch === undefined ? stored.metadata : { ...stored.metadata, ...metadataPatch };
        if (metadataPatch !== undefined && jsonBytes(metadata) > MAX_JSON_BYTES) {
          invalid('the merged metadata would be larger than 16 MiB');
        }
        // updated_at never goes below the previous updated_at nor created_at (WF-UPD-2).
        let updatedAt = now();
        if (updatedAt < stored.updated_at) updatedAt = stored.updated_at;
        if (updatedAt < stored.created_at) updatedAt = stored.created_at;
        record.run = { ...stored, status: status ?? stored.status, metadata, updated_at: updatedAt };
        return cloneRun(record.run);
      };
    });
  }

  deleteWorkflowRun(id: string): Promise<boolean> {
    return this.call(() => {
      const runId = readIdentifier(id, 'id');
      // Events and outputs live in the record, so they go with it (WF-RUN-5, WF-RUN-6).
      return (runs) => runs.delete(runId);
    });
  }

  createWorkflowEvent(input: Parameters<IWorkflowStore['createWorkflowEvent']>[0]): Promise<WorkflowEvent> {
    return this.call(() => {
      const fields = readInputObject(input, 'the new event', ['run_id', 'event_type', 'payload']);
      const runId = readIdentifier(fields.get('run_id'), 'run_id');
      const event = readNewEvent(input, ['run_id', 'event_type', 'payload']);
      return (runs) => {
        const record = runs.get(runId);
        if (record === undefined) throw notFound(runId);
        return cloneEvent(appendTo(record, runId, event, now()));
      };
    });
  }

  listWorkflowEvents(
    runId: string,
    options?: Parameters<IWorkflowStore['listWorkflowEvents']>[1],
  ): Promise<WorkflowEvent[]> {
    return this.call(() => {
      const id = readIdentifier(runId, 'run_id');
      const fields = readOptions(options, 'the list options', ['after_sequence', 'limit']);
      const after = fields.has('after_sequence') ? readCount(fields.get('after_sequence'), 'after_sequence') : 0;
      const limit = fields.has('limit') ? readCount(fields.get('limit'), 'limit') : undefined;
      return (runs) => {
        const record = runs.get(id);
        if (record === undefined) throw notFound(id);
        // events[i] has sequence i + 1, so those after `after` start at index `after`.
        const selected = record.events.slice(after, limit === undefined ? undefined : after + limit);
        return selected.map(cloneEvent);
      };
    });
  }

  getCompletedDagNodeOutputs(runId: string): Promise<Map<string, JsonValue>> {
    return this.call(() => {
      const id = readIdentifier(runId, 'run_id');
      return (runs) => {
        const record = runs.get(id);
        if (record === undefined) throw notFound(id);
        const outputs = new Map<string, JsonValue>();
        for (const [nodeId, output] of record.outputs) outputs.set(nodeId, cloneJson(output));
        return outputs;
      };
    });
  }

  /** Idempotent; resolves once every call made before it has settled (WF-CLS-1, WF-CLS-2). */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closed = true;
      this.closing = Promise.allSettled([...this.inFlight]).then(() => undefined);
    }
    return this.closing;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Opens a store on `options.database`, or on a new empty Database. */
export function createThirdPartyStore(options: ThirdPartyStoreOptions = {}): IWorkflowStore {
  return new ThirdPartyStore(options.database ?? new Database(), options.plantedBug);
}

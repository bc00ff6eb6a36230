// The one validation module. Every backend goes through it (via defineStore) before anything is written,
// so the same input is accepted or refused with the same code and message everywhere.

import { types } from 'node:util';
import { invalidInput } from './errors.js';
import {
  EVENT_TYPE_MAX_LENGTH,
  EVENT_TYPE_PATTERN,
  EVENTS_PER_UPDATE_MAX,
  ID_MAX_LENGTH,
  ID_PATTERN,
  JSON_MAX_BYTES,
  JSON_MAX_DEPTH,
  USER_MESSAGE_MAX_BYTES,
  WORKFLOW_NAME_MAX_LENGTH,
} from './limits.js';
import { NODE_COMPLETED, RUN_STATUSES, type JsonObject, type JsonValue, type RunStatus } from './types.js';

// ---------------------------------------------------------------------------------------------
// Scalars

/** Run ids and node ids: 1..128 of [A-Za-z0-9._-], first one alphanumeric; safe as a file name. */
export function validateId(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidInput(field, `must be a string identifier, got ${describe(value)}`);
  if (value.length === 0) throw invalidInput(field, 'must not be empty');
  if (value.length > ID_MAX_LENGTH) {
    throw invalidInput(field, `must be at most ${ID_MAX_LENGTH} characters, got ${value.length}`);
  }
  if (!ID_PATTERN.test(value)) {
    throw invalidInput(
      field,
      `${JSON.stringify(value)} is not an identifier (letters, digits, ".", "_", "-", starting with a letter or digit)`,
    );
  }
  return value;
}

/** Plain text: well-formed Unicode without U+0000 (PostgreSQL cannot store either). */
export function validateText(
  value: unknown,
  field: string,
  bounds: { minLength?: number; maxLength?: number; maxBytes?: number },
): string {
  if (typeof value !== 'string') throw invalidInput(field, `must be a string, got ${describe(value)}`);
  if (bounds.minLength !== undefined && value.length < bounds.minLength) {
    throw invalidInput(
      field,
      value.length === 0 ? 'must not be empty' : `must be at least ${bounds.minLength} characters`,
    );
  }
  if (bounds.maxLength !== undefined && value.length > bounds.maxLength) {
    throw invalidInput(field, `must be at most ${bounds.maxLength} characters, got ${value.length}`);
  }
  if (value.includes('\u0000')) throw invalidInput(field, 'must not contain U+0000 (NUL)');
  if (!value.isWellFormed()) throw invalidInput(field, 'must be well-formed Unicode (it holds a lone surrogate)');
  if (bounds.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > bounds.maxBytes)
      throw invalidInput(field, `must be at most ${bounds.maxBytes} bytes as UTF-8, got ${bytes}`);
  }
  return value;
}

export function validateStatus(value: unknown, field: string): RunStatus {
  if (typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value)) return value as RunStatus;
  throw invalidInput(field, `must be one of ${RUN_STATUSES.join(', ')}, got ${describe(value)}`);
}

export function validateEventType(value: unknown, field = 'event_type'): string {
  if (typeof value !== 'string') throw invalidInput(field, `must be a string, got ${describe(value)}`);
  if (value.length === 0 || value.length > EVENT_TYPE_MAX_LENGTH || !EVENT_TYPE_PATTERN.test(value)) {
    throw invalidInput(
      field,
      `${JSON.stringify(value.slice(0, 200))} is not an event type ` +
        `(1 to ${EVENT_TYPE_MAX_LENGTH} of letters, digits, ".", "_", ":", "-")`,
    );
  }
  return value;
}

function validateCount(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalidInput(field, `must be an integer of at least ${min}, got ${describe(value)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// JSON values. Input is read once, through property descriptors, into a plain copy: no getter or Proxy
// trap runs, so nothing can change between validation and storage, and the copy is what gets stored.

/**
 * Checks that `value` is JSON (never coercing as `JSON.stringify` would) and returns its text.
 * Storing the text, not the object, is what makes the stored value the store's own copy.
 */
export function serializeJson(value: unknown, field: string): string {
  return stringifyJson(snapshotJson(value, field), field);
}

export function serializeJsonObject(value: unknown, field: string): string {
  return stringifyJson(snapshotJsonObject(value, field), field);
}

/** Throws INVALID_INPUT naming the path of the first value that is not JSON. */
export function checkJson(value: unknown, field: string): void {
  snapshotJson(value, field);
}

/** A plain copy of `value`, read once; INVALID_INPUT naming the path of the first value that is not JSON. */
export function snapshotJson(value: unknown, field: string): JsonValue {
  return copyValue({ field, path: [], ancestors: [] }, value);
}

function snapshotJsonObject(value: unknown, field: string): JsonObject {
  if (!isPlainObject(value)) throw invalidInput(field, `must be a plain JSON object, got ${describe(value)}`);
  return snapshotJson(value, field) as JsonObject;
}

/** The JSON text of a snapshot, within the size limit. */
function stringifyJson(snapshot: JsonValue, field: string): string {
  const text = JSON.stringify(snapshot);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > JSON_MAX_BYTES) {
    throw invalidInput(field, `must be at most ${JSON_MAX_BYTES} bytes as JSON, got ${bytes}`);
  }
  return text;
}

/** Where a snapshot is: the path names the value at fault; the ancestors find cycles and depth. */
interface Walk {
  readonly field: string;
  readonly path: (string | number)[];
  /** A stack, not a Set: scanning a few entries beats hashing every object (depth is bounded). */
  readonly ancestors: object[];
}

function fail(walk: Walk, problem: string): never {
  throw invalidInput(formatPath(walk.field, walk.path), problem);
}

function copyValue(walk: Walk, node: unknown): JsonValue {
  switch (typeof node) {
    case 'string':
    case 'boolean':
      return node;
    case 'number':
      if (!Number.isFinite(node)) fail(walk, `${node} is not a JSON number`);
      return node;
    case 'object':
      return node === null ? null : copyContainer(walk, node);
    default:
      return fail(walk, `${describe(node)} is not JSON`);
  }
}

function copyContainer(walk: Walk, node: object): JsonValue {
  // Before anything else: every other check would run one of the Proxy's traps.
  if (types.isProxy(node)) fail(walk, 'is a Proxy, which runs code when read; pass a plain object or array');
  if (walk.ancestors.includes(node)) fail(walk, 'is a cycle (it contains itself)');
  if (walk.ancestors.length >= JSON_MAX_DEPTH) fail(walk, `nests deeper than ${JSON_MAX_DEPTH} levels`);
  walk.ancestors.push(node);
  const copy = Array.isArray(node) ? copyArray(walk, node) : copyObject(walk, node);
  walk.ancestors.pop();
  return copy;
}

function copyArray(walk: Walk, node: unknown[]): JsonValue[] {
  if (Object.getPrototypeOf(node) !== Array.prototype) fail(walk, `${describe(node)} is not a plain array`);
  const length = node.length;
  checkArrayKeys(walk, node, length);
  const copy: JsonValue[] = [];
  for (let i = 0; i < length; i++) {
    walk.path.push(i);
    copy.push(copyValue(walk, ownValue(walk, node, i)));
    walk.path.pop();
  }
  return copy;
}

/**
 * An array's own keys must be its indices and `length`; JSON.stringify would drop anything else. With as
 * many names as that and no holes (copyArray refuses those), the names can be nothing else.
 */
function checkArrayKeys(walk: Walk, node: unknown[], length: number): void {
  const keys = Reflect.ownKeys(node);
  if (keys.length === length + 1) return;
  for (const key of keys) {
    if (typeof key === 'symbol') fail(walk, 'has symbol keys, which JSON cannot hold');
    if (key !== 'length' && !isArrayIndex(key, length)) {
      walk.path.push(key);
      fail(walk, 'is a named property of an array, which JSON cannot hold');
    }
  }
}

function isArrayIndex(name: string, length: number): boolean {
  return /^(?:0|[1-9]\d*)$/.test(name) && Number(name) < length;
}

function copyObject(walk: Walk, node: object): JsonObject {
  if (!isPlainObject(node)) fail(walk, `${describe(node)} is not JSON`);
  // Names and symbols asked apart: on objects, Reflect.ownKeys is several times slower than the two.
  if (Object.getOwnPropertySymbols(node).length > 0) fail(walk, 'has symbol keys, which JSON cannot hold');
  const copy: JsonObject = {};
  for (const name of Object.getOwnPropertyNames(node)) {
    walk.path.push(name);
    defineValue(copy, name, copyValue(walk, ownValue(walk, node, name)));
    walk.path.pop();
  }
  return copy;
}

/** The value of an own enumerable data property, read through its descriptor so that no getter runs. */
function ownValue(walk: Walk, node: object, key: string | number): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(node, key);
  // Only arrays get here with a key they lack; objects are walked by their own keys.
  if (descriptor === undefined) return fail(walk, 'is a hole in a sparse array');
  const problem = descriptorProblem(descriptor);
  if (problem !== undefined) fail(walk, problem);
  return descriptor.value;
}

/** Why a property is not a plain value, judged by its descriptor alone; undefined when it is one. */
function descriptorProblem(descriptor: PropertyDescriptor): string | undefined {
  // Data descriptors always have an own `value`; accessors never do (even with get and set undefined).
  if (!Object.hasOwn(descriptor, 'value')) return 'is an accessor (a getter or setter), not a value';
  if (descriptor.enumerable !== true) return 'is not enumerable, so a copy (or JSON.stringify) would drop it';
  return undefined;
}

/** Sets an own key even when it is "__proto__", which plain assignment would take as the prototype. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || types.isProxy(value) || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function formatPath(field: string, path: readonly (string | number)[]): string {
  let out = field;
  for (const segment of path) {
    out +=
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  // A Proxy would run its getPrototypeOf trap below.
  if (types.isProxy(value)) return 'a Proxy';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
      return Number.isNaN(value) ? 'NaN' : String(value);
    case 'bigint':
      return `a BigInt (${value}n)`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'boolean':
      return String(value);
    default:
      return Array.isArray(value) ? 'an array' : withArticle(constructorName(value));
  }
}

/** The name of an object's constructor, read through descriptors: describing a value runs none of its code. */
function constructorName(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || typeof proto !== 'object' || types.isProxy(proto)) return 'Object';
  const maker: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof maker !== 'function' || types.isProxy(maker)) return 'Object';
  const name: unknown = Object.getOwnPropertyDescriptor(maker, 'name')?.value;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}

function withArticle(name: string): string {
  if (name === 'Object') return 'an object';
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

// ---------------------------------------------------------------------------------------------
// Operation inputs. Each returns a validated, self-contained request: ids checked, JSON serialized.

/**
 * Input objects are closed: an unknown field (a typo like `expectedStatus`) is refused, never ignored.
 * The fields are read once, through their descriptors, into a fresh record: no getter or Proxy trap runs.
 */
function closedObject(
  value: unknown,
  field: string,
  allowed: readonly string[],
  optional: boolean,
): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (!isPlainObject(value)) throw invalidInput(field, `must be an object, got ${describe(value)}`);
  if (Object.getOwnPropertySymbols(value).length > 0)
    throw invalidInput(field, 'has symbol keys, which are not fields');
  // No prototype: a field the input lacks reads as undefined, never as a property of Object.prototype.
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(value)) {
    if (!allowed.includes(name)) {
      throw invalidInput(`${field}.${name}`, `is not a field of ${field} (allowed: ${allowed.join(', ')})`);
    }
    const descriptor = Object.getOwnPropertyDescriptor(value, name)!;
    const problem = descriptorProblem(descriptor);
    if (problem !== undefined) throw invalidInput(`${field}.${name}`, problem);
    fields[name] = descriptor.value;
  }
  return fields;
}

export interface CreateRunRequest {
  id: string | undefined;
  workflow_name: string;
  user_message: string;
  status: RunStatus;
  metadataJson: string;
}

export function parseCreateRun(input: unknown): CreateRunRequest {
  const o = closedObject(input, 'input', ['id', 'workflow_name', 'user_message', 'status', 'metadata'], false);
  return {
    id: o.id === undefined ? undefined : validateId(o.id, 'id'),
    workflow_name: validateText(o.workflow_name, 'workflow_name', {
      minLength: 1,
      maxLength: WORKFLOW_NAME_MAX_LENGTH,
    }),
    user_message: validateText(o.user_message, 'user_message', { maxBytes: USER_MESSAGE_MAX_BYTES }),
    status: o.status === undefined ? 'pending' : validateStatus(o.status, 'status'),
    metadataJson: o.metadata === undefined ? '{}' : serializeJsonObject(o.metadata, 'metadata'),
  };
}

export interface ListRunsRequest {
  status: RunStatus | undefined;
  workflow_name: string | undefined;
  limit: number | undefined;
  /** Newest first when 'desc' (WF-RUN-7). */
  order: 'asc' | 'desc';
  /** Only runs strictly after this position in the order. */
  after: { created_at: string; id: string } | undefined;
  created_after: string | undefined;
  created_before: string | undefined;
}

const LIST_RUNS_OPTIONS = [
  'status',
  'workflow_name',
  'limit',
  'order',
  'after',
  'created_after',
  'created_before',
] as const;

export function parseListRuns(options: unknown): ListRunsRequest {
  const o = closedObject(options, 'options', LIST_RUNS_OPTIONS, true);
  const timestamp = (name: 'created_after' | 'created_before') =>
    o[name] === undefined ? undefined : validateTimestamp(o[name], `options.${name}`);
  return {
    status: o.status === undefined ? undefined : validateStatus(o.status, 'options.status'),
    workflow_name:
      o.workflow_name === undefined
        ? undefined
        : validateText(o.workflow_name, 'options.workflow_name', { minLength: 1, maxLength: WORKFLOW_NAME_MAX_LENGTH }),
    limit: o.limit === undefined ? undefined : validateCount(o.limit, 'options.limit', 0),
    order: o.order === undefined ? 'asc' : validateOrder(o.order),
    after: o.after === undefined ? undefined : runPosition(o.after),
    created_after: timestamp('created_after'),
    created_before: timestamp('created_before'),
  };
}

function validateOrder(value: unknown): 'asc' | 'desc' {
  if (value === 'asc' || value === 'desc') return value;
  throw invalidInput('options.order', `must be "asc" or "desc", got ${describe(value)}`);
}

function runPosition(value: unknown): { created_at: string; id: string } {
  const o = closedObject(value, 'options.after', ['created_at', 'id'], false);
  return {
    created_at: validateTimestamp(o.created_at, 'options.after.created_at'),
    id: validateId(o.id, 'options.after.id'),
  };
}

/** The conditions of an update or a fenced append (WF-CAS-1, WF-CAS-3, WF-SEQ-4). */
export interface WriteConditionsRequest {
  expected_status: RunStatus | undefined;
  /** The store's own copy of the expected values, key by key, in the caller's order. */
  expected_metadata: JsonObject | undefined;
}

function writeConditions(o: Record<string, unknown>): WriteConditionsRequest {
  return {
    expected_status:
      o.expected_status === undefined ? undefined : validateStatus(o.expected_status, 'options.expected_status'),
    expected_metadata:
      o.expected_metadata === undefined
        ? undefined
        : (JSON.parse(serializeJsonObject(o.expected_metadata, 'options.expected_metadata')) as JsonObject),
  };
}

export interface UpdateRunRequest extends WriteConditionsRequest {
  id: string;
  status: RunStatus | undefined;
  /** The patch as the store's own copy; merged shallowly into the stored metadata. */
  metadata: JsonObject | undefined;
  /**
   * The events committed with the update, atomically, numbered in this order (`options.event` is a list of
   * one, WF-UPD-4; `options.events`, WF-UPD-5); empty when none. Their run is the updated one.
   */
  events: EventRequest[];
}

export function parseUpdateRun(id: unknown, patch: unknown, options: unknown): UpdateRunRequest {
  const runId = validateId(id, 'id');
  const p = closedObject(patch, 'patch', ['status', 'metadata'], false);
  const o = closedObject(options, 'options', ['expected_status', 'expected_metadata', 'event', 'events'], true);
  return {
    id: runId,
    status: p.status === undefined ? undefined : validateStatus(p.status, 'patch.status'),
    metadata:
      p.metadata === undefined
        ? undefined
        : (JSON.parse(serializeJsonObject(p.metadata, 'patch.metadata')) as JsonObject),
    ...writeConditions(o),
    events: updateEvents(o),
  };
}

function updateEvents(o: Record<string, unknown>): EventRequest[] {
  if (o.event !== undefined && o.events !== undefined) {
    throw invalidInput('options.events', 'cannot be given with options.event: put every event in options.events');
  }
  const event = (value: unknown, at: string) =>
    eventFields(closedObject(value, at, ['event_type', 'payload'], false), `${at}.`);
  if (o.event !== undefined) return [event(o.event, 'options.event')];
  if (o.events === undefined) return [];
  return inputList(o.events, 'options.events', EVENTS_PER_UPDATE_MAX).map((e, i) => event(e, `options.events[${i}]`));
}

/** A list of 1 to `max` input objects: a plain array, read through descriptors (no getter runs). */
function inputList(value: unknown, field: string, max: number): unknown[] {
  if (types.isProxy(value) || !Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) {
    throw invalidInput(field, `must be a plain array, got ${describe(value)}`);
  }
  const length = value.length;
  if (length === 0 || length > max) throw invalidInput(field, `must hold 1 to ${max} events, got ${length}`);
  const walk: Walk = { field, path: [], ancestors: [] };
  checkArrayKeys(walk, value, length);
  const items: unknown[] = [];
  for (let i = 0; i < length; i++) {
    walk.path.push(i);
    items.push(ownValue(walk, value, i));
    walk.path.pop();
  }
  return items;
}

/** An event to store: its type, its payload as JSON text, and for `node_completed` the node's output. */
export interface EventRequest {
  event_type: string;
  payloadJson: string;
  /** Present for `node_completed`: the output recorded with the event, atomically. */
  node: { node_id: string; outputJson: string } | undefined;
}

export interface CreateEventRequest extends EventRequest {
  run_id: string;
}

/** createWorkflowEvent's request: the event, and the conditions it is appended under (WF-SEQ-4). */
export interface AppendEventRequest extends CreateEventRequest, WriteConditionsRequest {}

/** The event fields of an input object already read (`prefix` names where it is, for error paths). */
function eventFields(o: Record<string, unknown>, prefix = ''): EventRequest {
  const at = (name: string) => `${prefix}${name}`;
  const event_type = validateEventType(o.event_type, at('event_type'));
  // The node id and output are taken from the snapshot, so they are what the payload stores.
  const payload = o.payload === undefined ? {} : snapshotJsonObject(o.payload, at('payload'));
  const payloadJson = stringifyJson(payload, at('payload'));
  let node: EventRequest['node'];
  if (event_type === NODE_COMPLETED) {
    const node_id = validateId(payload.node_id, at('payload.node_id'));
    const output = Object.hasOwn(payload, 'output') ? payload.output : null;
    node = { node_id, outputJson: JSON.stringify(output) };
  }
  return { event_type, payloadJson, node };
}

export function parseCreateEvent(input: unknown, options?: unknown): AppendEventRequest {
  const o = closedObject(input, 'input', ['run_id', 'event_type', 'payload'], false);
  const run_id = validateId(o.run_id, 'run_id');
  const event = eventFields(o);
  const conditions = writeConditions(closedObject(options, 'options', ['expected_status', 'expected_metadata'], true));
  return { run_id, ...event, ...conditions };
}

export interface ListEventsRequest {
  run_id: string;
  after_sequence: number;
  limit: number | undefined;
}

export function parseListEvents(runId: unknown, options: unknown): ListEventsRequest {
  const o = closedObject(options, 'options', ['after_sequence', 'limit'], true);
  return {
    run_id: validateId(runId, 'run_id'),
    after_sequence: o.after_sequence === undefined ? 0 : validateCount(o.after_sequence, 'options.after_sequence', 0),
    limit: o.limit === undefined ? undefined : validateCount(o.limit, 'options.limit', 0),
  };
}

export type { JsonValue };

// ---------------------------------------------------------------------------------------------
// Imported runs (wfstore copy and import): a run with its own timestamps and its whole event log,
// checked like every other input before anything is written.

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO 8601 UTC timestamp with milliseconds, as toISOString writes it (WF-VAL-7). */
/** A real instant written as toISOString writes it: month 13 or 30 February is not (Date would throw or roll over). */
function isCalendarTime(value: string): boolean {
  const time = new Date(value).getTime();
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

export function validateTimestamp(value: unknown, field: string): string {
  // Years 1 to 9999 (WF-VAL-7): the pattern's four digits also allow year 0.
  if (typeof value !== 'string' || !ISO_UTC_MS.test(value) || value.startsWith('0000') || !isCalendarTime(value)) {
    throw invalidInput(field, `must be an ISO 8601 UTC timestamp with milliseconds, got ${describe(value)}`);
  }
  return value;
}

export interface ImportedEvent extends EventRequest {
  sequence: number;
  timestamp: string;
}

export interface ImportRunRequest {
  run: CreateRunRequest & { id: string; created_at: string; updated_at: string };
  /** The whole log, sequences 1..n in order. */
  events: ImportedEvent[];
}

function importedEvent(value: unknown, at: string, runId: string, sequence: number): ImportedEvent {
  const o = closedObject(value, at, ['run_id', 'sequence', 'event_type', 'timestamp', 'payload'], false);
  if (o.run_id !== runId) throw invalidInput(`${at}.run_id`, `must be "${runId}", the run it belongs to`);
  if (o.sequence !== sequence)
    throw invalidInput(`${at}.sequence`, `must be ${sequence}: a log is numbered 1, 2, 3, … with no gap`);
  return { sequence, timestamp: validateTimestamp(o.timestamp, `${at}.timestamp`), ...eventFields(o, `${at}.`) };
}

/** `{ run: WorkflowRun, events: WorkflowEvent[] }`, as a store returned them: validated for importing. */
export function parseImportRun(input: unknown): ImportRunRequest {
  const o = closedObject(input, 'input', ['run', 'events'], false);
  const r = closedObject(
    o.run,
    'run',
    ['id', 'workflow_name', 'user_message', 'status', 'metadata', 'created_at', 'updated_at'],
    false,
  );
  const { created_at, updated_at, ...fields } = r;
  const parsed = parseCreateRun({ ...fields, status: fields.status ?? 'pending' });
  const id = validateId(r.id, 'run.id');
  const created = validateTimestamp(created_at, 'run.created_at');
  const updated = validateTimestamp(updated_at, 'run.updated_at');
  if (updated < created) throw invalidInput('run.updated_at', 'must not be before created_at (WF-UPD-2)');
  if (!Array.isArray(o.events)) throw invalidInput('events', `must be an array, got ${describe(o.events)}`);
  const events = o.events.map((e, i) => importedEvent(e, `events[${i}]`, id, i + 1));
  return { run: { ...parsed, id, created_at: created, updated_at: updated }, events };
}

// The one validation module. Every backend goes through it (via defineStore) before anything is written,
// so the same input is accepted or refused with the same code and message everywhere.

import { invalidInput } from './errors.js';
import {
  EVENT_TYPE_MAX_LENGTH,
  EVENT_TYPE_PATTERN,
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
      `${JSON.stringify(value.slice(0, 200))} is not an event type (1 to ${EVENT_TYPE_MAX_LENGTH} of letters, digits, ".", "_", ":", "-")`,
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
// JSON values

/**
 * Checks that `value` is JSON (never coercing as `JSON.stringify` would) and returns its text.
 * Storing the text, not the object, is what makes the stored value the store's own copy.
 */
export function serializeJson(value: unknown, field: string): string {
  checkJson(value, field);
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > JSON_MAX_BYTES) {
    throw invalidInput(field, `must be at most ${JSON_MAX_BYTES} bytes as JSON, got ${bytes}`);
  }
  return text;
}

export function serializeJsonObject(value: unknown, field: string): string {
  if (!isPlainObject(value)) throw invalidInput(field, `must be a plain JSON object, got ${describe(value)}`);
  return serializeJson(value, field);
}

/** Throws INVALID_INPUT naming the path of the first value that is not JSON. */
export function checkJson(value: unknown, field: string): void {
  const path: (string | number)[] = [];
  const ancestors = new Set<object>();
  const fail = (problem: string): never => {
    throw invalidInput(formatPath(field, path), problem);
  };

  const visit = (node: unknown): void => {
    switch (typeof node) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(node)) fail(`${node} is not a JSON number`);
        return;
      case 'object': {
        if (node === null) return;
        if (ancestors.has(node)) fail('is a cycle (it contains itself)');
        if (ancestors.size >= JSON_MAX_DEPTH) fail(`nests deeper than ${JSON_MAX_DEPTH} levels`);
        ancestors.add(node);
        if (Array.isArray(node)) {
          if (Object.getPrototypeOf(node) !== Array.prototype) fail(`${describe(node)} is not a plain array`);
          for (let i = 0; i < node.length; i++) {
            path.push(i);
            if (!(i in node)) fail('is a hole in a sparse array');
            visit(node[i]);
            path.pop();
          }
        } else {
          if (!isPlainObject(node)) fail(`${describe(node)} is not JSON`);
          if (Object.getOwnPropertySymbols(node).length > 0) fail('has symbol keys, which JSON cannot hold');
          for (const key of Object.keys(node)) {
            path.push(key);
            const descriptor = Object.getOwnPropertyDescriptor(node, key);
            if (descriptor?.get !== undefined || descriptor?.set !== undefined) fail('is an accessor, not a value');
            visit(descriptor?.value);
            path.pop();
          }
        }
        ancestors.delete(node);
        return;
      }
      default:
        fail(`${describe(node)} is not JSON`);
    }
  };
  visit(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
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
    default: {
      if (Array.isArray(value)) return 'an array';
      const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
      if (name === undefined || name === 'Object') return 'an object';
      return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Operation inputs. Each returns a validated, self-contained request: ids checked, JSON serialized.

/** Input objects are closed: an unknown field (a typo like `expectedStatus`) is refused, never ignored. */
function closedObject(
  value: unknown,
  field: string,
  allowed: readonly string[],
  optional: boolean,
): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (!isPlainObject(value)) throw invalidInput(field, `must be an object, got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw invalidInput(`${field}.${key}`, `is not a field of ${field} (allowed: ${allowed.join(', ')})`);
    }
  }
  return value;
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
}

export function parseListRuns(options: unknown): ListRunsRequest {
  const o = closedObject(options, 'options', ['status', 'workflow_name', 'limit'], true);
  return {
    status: o.status === undefined ? undefined : validateStatus(o.status, 'options.status'),
    workflow_name:
      o.workflow_name === undefined
        ? undefined
        : validateText(o.workflow_name, 'options.workflow_name', { minLength: 1, maxLength: WORKFLOW_NAME_MAX_LENGTH }),
    limit: o.limit === undefined ? undefined : validateCount(o.limit, 'options.limit', 0),
  };
}

export interface UpdateRunRequest {
  id: string;
  status: RunStatus | undefined;
  /** The patch as the store's own copy; merged shallowly into the stored metadata. */
  metadata: JsonObject | undefined;
  expected_status: RunStatus | undefined;
}

export function parseUpdateRun(id: unknown, patch: unknown, options: unknown): UpdateRunRequest {
  const runId = validateId(id, 'id');
  const p = closedObject(patch, 'patch', ['status', 'metadata'], false);
  const o = closedObject(options, 'options', ['expected_status'], true);
  return {
    id: runId,
    status: p.status === undefined ? undefined : validateStatus(p.status, 'patch.status'),
    metadata:
      p.metadata === undefined
        ? undefined
        : (JSON.parse(serializeJsonObject(p.metadata, 'patch.metadata')) as JsonObject),
    expected_status:
      o.expected_status === undefined ? undefined : validateStatus(o.expected_status, 'options.expected_status'),
  };
}

export interface CreateEventRequest {
  run_id: string;
  event_type: string;
  payloadJson: string;
  /** Present for `node_completed`: the output recorded with the event, atomically. */
  node: { node_id: string; outputJson: string } | undefined;
}

export function parseCreateEvent(input: unknown): CreateEventRequest {
  const o = closedObject(input, 'input', ['run_id', 'event_type', 'payload'], false);
  const run_id = validateId(o.run_id, 'run_id');
  const event_type = validateEventType(o.event_type);
  const payload = o.payload === undefined ? {} : o.payload;
  const payloadJson = serializeJsonObject(payload, 'payload');
  let node: CreateEventRequest['node'];
  if (event_type === NODE_COMPLETED) {
    const p = payload as Record<string, unknown>;
    const node_id = validateId(p.node_id, 'payload.node_id');
    const output = Object.hasOwn(p, 'output') ? p.output : null;
    node = { node_id, outputJson: JSON.stringify(output) };
  }
  return { run_id, event_type, payloadJson, node };
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

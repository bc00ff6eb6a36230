// Limits shared by every backend, so the same input is accepted or refused everywhere. Each is a rule of
// docs/contract.md, named beside it.

/** Run ids and node ids (WF-VAL-6). */
export const ID_MAX_LENGTH = 128;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `workflow_name`, in UTF-16 code units (JavaScript `length`) (WF-VAL-8). */
export const WORKFLOW_NAME_MAX_LENGTH = 256;

/** `event_type`: its length (WF-VAL-8) and its characters (WF-VAL-12). */
export const EVENT_TYPE_MAX_LENGTH = 128;
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** `user_message`, in UTF-8 bytes; it may be empty (WF-VAL-8). */
export const USER_MESSAGE_MAX_BYTES = 1024 * 1024;

/** One payload, metadata object or node output, in UTF-8 bytes of its `JSON.stringify` (WF-VAL-8). */
export const JSON_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Nesting depth of a JSON value, a scalar being depth 0 (WF-VAL-3): the same bound on every backend, rather
 * than whichever stack overflows first.
 */
export const JSON_MAX_DEPTH = 1000;

/** Events committed with one update, `options.events` (WF-UPD-5). */
export const EVENTS_PER_UPDATE_MAX = 1000;

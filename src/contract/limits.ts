// Limits shared by every backend, so the same input is accepted or refused everywhere.

/** Run ids and node ids. */
export const ID_MAX_LENGTH = 128;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `workflow_name`, in UTF-16 code units (JavaScript `length`). */
export const WORKFLOW_NAME_MAX_LENGTH = 256;

/** `event_type`. */
export const EVENT_TYPE_MAX_LENGTH = 128;
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** `user_message`, in UTF-8 bytes; it may be empty. */
export const USER_MESSAGE_MAX_BYTES = 1024 * 1024;

/** One payload, metadata object or node output, in UTF-8 bytes of its `JSON.stringify`. */
export const JSON_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Nesting depth of a JSON value (a scalar is depth 0). Not in the contract's text: without a bound,
 * the limit would be whichever stack overflows first, and that differs between engines and backends.
 */
export const JSON_MAX_DEPTH = 1000;

// The checksum every stored line carries: CRC-32 (IEEE, as zlib and gzip compute it), written as 8 lowercase hex
// digits. It detects any change of up to 32 consecutive bits, hence any changed byte, and costs about 1 ms per MiB.
// zlib.crc32 (Node 20.15 and later) computes it natively; older Node 20 releases get the table below.

import zlib from 'node:zlib';

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 without zlib (exported for its test). */
export function crc32Portable(bytes: Uint8Array): number {
  table ??= crc32Table();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return native === undefined ? crc32Portable(bytes) : native(bytes);
}

/** The checksum as it is written: 8 lowercase hex digits. */
export function checksumText(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

// A checksummed record is a JSON object whose last member is "crc", covering every byte before that member:
//   {"a":1,"b":2,"crc":"0123abcd"}
// so it stays a JSON object, and it is checked without being parsed.
const OPEN = Buffer.from(',"crc":"');
const CLOSE = Buffer.from('"}');
export const CHECKSUM_SUFFIX_LENGTH = OPEN.length + 8 + CLOSE.length;

/**
 * `text` (a JSON object without its closing brace) sealed with its checksum: the whole record, in a buffer of
 * `size` bytes (at least the record's), the rest left for the caller to fill.
 */
export function sealed(text: string, size = 0): { record: Buffer; length: number } {
  const body = Buffer.byteLength(text, 'utf8');
  const length = body + CHECKSUM_SUFFIX_LENGTH;
  const record = Buffer.allocUnsafe(Math.max(size, length));
  record.write(text, 0, 'utf8');
  OPEN.copy(record, body);
  record.write(checksumText(record.subarray(0, body)), body + OPEN.length, 'latin1');
  CLOSE.copy(record, length - CLOSE.length);
  return { record, length };
}

/** The value of 8 lowercase hex digits at `start`, or -1. Read byte by byte: this runs once per line read. */
function hexAt(bytes: Buffer, start: number): number {
  let value = 0;
  for (let i = start; i < start + 8; i++) {
    const c = bytes[i]!;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** Whether `bytes` holds `part` at `at`. Byte by byte: Buffer.compare with offsets costs more on short parts. */
function holds(bytes: Buffer, at: number, part: Buffer): boolean {
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
}

/**
 * Why the record `bytes[start, end)` fails its checksum, or undefined when it holds. The record's own bytes are
 * checked: a record without the member, or whose member does not match, fails.
 */
export function checksumProblem(bytes: Buffer, start: number, end: number): string | undefined {
  const body = end - CHECKSUM_SUFFIX_LENGTH;
  if (body <= start) return 'it is too short to hold a checksum';
  if (!holds(bytes, body, OPEN) || !holds(bytes, end - CLOSE.length, CLOSE)) return 'it does not end with its checksum';
  const written = hexAt(bytes, body + OPEN.length);
  if (written < 0) return 'its checksum is not 8 hex digits';
  const actual = crc32(bytes.subarray(start, body));
  if (actual === written) return undefined;
  const hex = (value: number) => value.toString(16).padStart(8, '0');
  return `its checksum is ${hex(written)} but its content gives ${hex(actual)}`;
}

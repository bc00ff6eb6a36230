// events.seal: where a run's log is known to end, so that a log that lost its tail is detected. One fixed-size
// record, rewritten in place (one pwrite, no rename, no fsync) after each append under the run lock:
//   {"last_sequence":12,"log_bytes":3456,"crc":"0123abcd"}   padded with spaces to 127 bytes, then "\n"
// It is written after the log line is written (and fsynced), so it never vouches for more than the log holds;
// it may lag behind the log (a crash between the two writes, or a power loss before the page cache reached the
// disk), which is not damage. A log shorter than its seal is: it lost lines that were acknowledged.
//
// The seal also orders run.json against the log (run-state.ts): an update's event line lies beyond the seal
// until run.json holds the update, so every update line the seal covers is applied to run.json.

import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { checksumProblem, sealed } from '../files/checksum.js';
import { isNotFound } from '../files/io.js';
import { RunDamage } from './check.js';

export const SEAL_FILE = 'events.seal';
export const SEAL_BYTES = 128;

export interface Seal {
  /** The log holds at least this many events… */
  last_sequence: number;
  /** …and event last_sequence ends at this byte offset. */
  log_bytes: number;
}

export const EMPTY_SEAL: Seal = { last_sequence: 0, log_bytes: 0 };

export function sealRecord(seal: Seal): Buffer {
  const { record, length } = sealed(`{"last_sequence":${seal.last_sequence},"log_bytes":${seal.log_bytes}`, SEAL_BYTES);
  record.fill(' ', length, SEAL_BYTES - 1);
  record[SEAL_BYTES - 1] = 0x0a;
  return record;
}

export function parseSeal(bytes: Buffer): Seal {
  const end = bytes.indexOf('}') + 1;
  const problem =
    bytes.length !== SEAL_BYTES ? `it is ${bytes.length} bytes, not ${SEAL_BYTES}` : checksumProblem(bytes, 0, end);
  if (problem !== undefined) throw new RunDamage(SEAL_FILE, problem);
  const seal = JSON.parse(bytes.toString('utf8', 0, end)) as Seal;
  if (!Number.isSafeInteger(seal.last_sequence) || !Number.isSafeInteger(seal.log_bytes))
    throw new RunDamage(SEAL_FILE, 'it holds no valid sequence or length');
  return seal;
}

/** The seal in the open file `fd`. */
export function readSealAt(fd: number): Seal {
  const bytes = Buffer.alloc(SEAL_BYTES + 1);
  let length = 0;
  for (let n = -1; n !== 0 && length < bytes.length; length += n)
    n = readSync(fd, bytes, length, bytes.length - length, length);
  return parseSeal(bytes.subarray(0, length));
}

/** The seal of the run whose file is `file`; null when there is none. */
export function readSeal(file: string): Seal | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  try {
    return readSealAt(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeSeal(fd: number, seal: Seal): void {
  const record = sealRecord(seal);
  for (let offset = 0; offset < record.length; )
    offset += writeSync(fd, record, offset, record.length - offset, offset);
}

// Small file primitives: atomic whole-file writes, reading JSON that may be absent, and finding the
// last complete line of an append-only log without reading the whole file.

import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LINE_END } from './log-format.js';

/** ENOTDIR too: `{artifactsDir}/stray.txt/run.json` names no run, like a missing directory. */
export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Write to a temporary file in the same directory, fsync it, rename over the target, fsync the directory. */
export async function writeFileAtomic(file: string, data: string, fsync: boolean): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temporary, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  if (fsync) await syncDirectory(path.dirname(file));
}

/**
 * A file of the node-output view: written aside and renamed into place (never seen half-written), not
 * fsynced. Small ones synchronously: two syscalls cost less than the thread-pool round trips.
 */
export async function writeViewFile(file: string, data: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  if (data.length < 64 * 1024) {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    return;
  }
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
}

/** Makes a rename or a new entry in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export interface LogTail {
  /** Byte offset just past the last complete line (the file's valid length). */
  end: number;
  /** The last complete line, without its newline; undefined when the log has no complete line. */
  lastLine: string | undefined;
}

const CHUNK = 64 * 1024;

/**
 * Reads backwards from the end of an append-only log. Bytes after the last newline are a torn write
 * (a crash mid-append) and are not part of the log.
 */
export async function readLogTail(handle: fs.FileHandle, size: number): Promise<LogTail> {
  const pieces: Buffer[] = [];
  const line = (): string => Buffer.concat(pieces).toString('utf8');
  let position = size;
  let end = -1;
  while (position > 0) {
    const length = Math.min(CHUNK, position);
    position -= length;
    const chunk = Buffer.allocUnsafe(length);
    await readFully(handle, chunk, position);
    let stop = chunk.length;
    if (end < 0) {
      const last = chunk.lastIndexOf(LINE_END);
      if (last < 0) continue; // still inside the torn tail
      end = position + last + 1;
      stop = last;
    }
    // Buffer#lastIndexOf counts a negative offset from the end, hence the guard.
    const previous = stop === 0 ? -1 : chunk.lastIndexOf(LINE_END, stop - 1);
    pieces.unshift(chunk.subarray(previous + 1, stop));
    if (previous >= 0) return { end, lastLine: line() };
  }
  return end < 0 ? { end: 0, lastLine: undefined } : { end, lastLine: line() };
}

async function readFully(handle: fs.FileHandle, buffer: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + offset}`);
    offset += bytesRead;
  }
}

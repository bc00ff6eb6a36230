// Small file primitives: writing and reading whole buffers, atomic whole-file writes, reading a file that
// may be absent, and finding the last complete line of an append-only log without reading the whole file.

import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { LINE_END } from './log-format.js';

/** ENOTDIR too: `{artifactsDir}/stray.txt/run.json` names no run, like a missing directory. */
export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// Below this many bytes a write is made synchronously: it lands in the page cache in microseconds, less
// than a round trip through the thread pool costs.
const SMALL_WRITE = 64 * 1024;

/** Writes all of `data` at `position`: a write may take fewer bytes than it was given. */
export async function writeAll(handle: fs.FileHandle, data: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const length = data.length - offset;
    offset +=
      length < SMALL_WRITE
        ? writeSync(handle.fd, data, offset, length, position + offset)
        : (await handle.write(data, offset, length, position + offset)).bytesWritten;
  }
}

/** Creates `file`, which must not exist yet, holding `text`; fsynced before this returns if asked. */
export async function writeNewFile(file: string, text: string, fsync: boolean): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await writeAll(handle, Buffer.from(text, 'utf8'), 0);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` whole, atomically: `text` goes to a temporary file beside it, renamed over it, so the file
 * is never seen half-written. With fsync, the file and the rename (the directory) are durable before this
 * returns. Without, a small file is written synchronously: a few syscalls cost less than the thread pool.
 */
export async function replaceFile(file: string, text: string, fsync: boolean): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    if (!fsync && text.length < SMALL_WRITE) {
      writeFileSync(temporary, text, { flag: 'wx' });
      renameSync(temporary, file);
    } else {
      await writeNewFile(temporary, text, fsync);
      await fs.rename(temporary, file);
    }
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  if (fsync) await syncDirectory(path.dirname(file));
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
  const read = await readAt(handle, buffer, position);
  if (read < buffer.length) throw new Error(`unexpected end of file at byte ${position + read}`);
}

/** Reads into `buffer` from `position` until it is full or the file ends; returns how many bytes were read. */
export async function readAt(handle: fs.FileHandle, buffer: Buffer, position: number): Promise<number> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return offset;
}

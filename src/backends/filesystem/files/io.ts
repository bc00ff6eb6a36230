// Small file primitives: writing and reading whole buffers, atomic whole-file writes, reading a file that
// may be absent, removing the temporary files of writes that did not finish.

import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** How the name of a temporary file ends (replaceFile): one left behind is a write that did not finish. */
export const TEMPORARY = '.tmp';

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

/** Pieces gathered by writeBuffers: a few writes for many short lines, no copy of a large update whole. */
const PIECE = 1024 * 1024;

/** Writes `buffers` one after the other from `position`, short ones gathered into pieces of up to 1 MiB. */
export async function writeBuffers(handle: fs.FileHandle, buffers: readonly Buffer[], position: number): Promise<void> {
  let at = position;
  for (let i = 0; i < buffers.length; ) {
    let j = i + 1;
    let size = buffers[i]!.length;
    while (j < buffers.length && size + buffers[j]!.length <= PIECE) size += buffers[j++]!.length;
    await writeAll(handle, j === i + 1 ? buffers[i]! : Buffer.concat(buffers.slice(i, j), size), at);
    at += size;
    i = j;
  }
}

/** Creates `file`, which must not exist yet, holding `text`; fsynced before this returns if asked. */
export async function writeNewFile(file: string, text: string | Buffer, fsync: boolean): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await writeAll(handle, typeof text === 'string' ? Buffer.from(text, 'utf8') : text, 0);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` whole, atomically: `text` goes to a temporary file beside it, renamed over it, so the file
 * is never seen half-written. With fsync, the file and the rename (the directory) are durable before this
 * returns. Without, a small file is written synchronously: a few syscalls cost less than the thread pool;
 * unless `background` (work done after the calls were answered), which keeps creating files (a fraction of a
 * millisecond each on ext4) off the event loop.
 */
export async function replaceFile(file: string, text: string | Buffer, fsync: boolean, background = false) {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMPORARY}`;
  try {
    if (!fsync && !background && text.length < SMALL_WRITE) {
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

/** A file written aside, to be renamed over `file` (placeFiles) or removed (discardFiles). */
export interface Staged {
  file: string;
  temporary: string;
}

/**
 * Writes each file's text to a temporary file beside it (no fsync), synchronously: called while an fdatasync
 * runs on the thread pool, it uses the wait and leaves the pool's threads to the fsyncs. A file that could not
 * be written is left out.
 */
export function stageFiles(files: readonly [file: string, text: Buffer][]): Staged[] {
  const staged: Staged[] = [];
  for (const [file, text] of files) {
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMPORARY}`;
    try {
      writeFileSync(temporary, text, { flag: 'wx' });
      staged.push({ file, temporary });
    } catch {
      rmSync(temporary, { force: true });
    }
  }
  return staged;
}

/** Renames staged files into place (each atomically); one that fails is removed, its file left as it was. */
export function placeFiles(staged: readonly Staged[]): void {
  for (const { file, temporary } of staged) {
    try {
      renameSync(temporary, file);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}

export function discardFiles(staged: readonly Staged[]): void {
  for (const { temporary } of staged) rmSync(temporary, { force: true });
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

/** The whole file, or null when it does not exist. */
export async function readBytesOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Removes the temporary files in `dirs` (called under the run lock, when no write of the run is under way, so
 * each is left by a write that did not finish: a crash, a full disk). Returns the paths removed.
 */
export async function removeTemporaryFiles(dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(TEMPORARY))) {
      await fs.rm(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}

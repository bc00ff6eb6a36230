// The format marker, {artifactsDir}/.wfstore-format: which on-disk format the store is in. Written when a
// store is first opened; a store in a newer format (written by a later wfstore) is refused at open with
// StoreOpenError, and left untouched. Format 1: every log line, seal and node file carries its checksum.
// Format 2: an update's events before its commit line name it ("committed_by", log/line-format.ts), so that
// several events with one update are committed all or none. A store without a marker that holds runs is in
// format 0 (wfstore 0.1.0: logs without checksums), migrated when opened (migrate.ts). A store of format 1 is
// one of format 2 with no such line: its marker is rewritten at open, and nothing else. The version is raised so
// that a wfstore that reads format 1 only refuses the store rather than take the events of an update that was
// never committed for events (it would not know to leave them out). A process of such a wfstore still writing
// to the store meanwhile is not supported: stop it before opening.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../../contract/errors.js';
import { ID_PATTERN } from '../../../contract/limits.js';
import { isNotFound, readTextOrNull, replaceFile } from './io.js';
import type { Layout } from './layout.js';
import { migrateFormat0 } from './migrate.js';

export const FORMAT = 'wfstore-filesystem';
export const FORMAT_VERSION = 2;

const markerText = () => `${JSON.stringify({ format: FORMAT, version: FORMAT_VERSION })}\n`;

function parseMarker(text: string): { format?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(text) as { format?: unknown; version?: unknown } | null;
  } catch {
    return null;
  }
}

/** The store's format version, from its marker; undefined when it has none. Refuses what is not a marker. */
export async function readFormat(layout: Layout, operation: string): Promise<number | undefined> {
  const text = await readTextOrNull(layout.formatFile);
  if (text === null) return undefined;
  const marker = parseMarker(text);
  const version = marker?.format === FORMAT ? marker.version : undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    throw new StoreOpenError(
      `${operation}: ${layout.formatFile} is not a wfstore format marker: ${text.slice(0, 200)}`,
    );
  if (version > FORMAT_VERSION) {
    throw new StoreOpenError(
      `${operation}: ${layout.root} is in filesystem format ${version}, written by a newer wfstore; ` +
        `this one reads format ${FORMAT_VERSION} (the store was left untouched)`,
    );
  }
  return version;
}

/** Runs of format 0, which has no marker: directories with a log. */
async function unmarkedRuns(layout: Layout): Promise<string[]> {
  const names = (await fs.readdir(layout.root)).filter((name) => ID_PATTERN.test(name));
  const found: string[] = [];
  for (const name of names) {
    const stat = await fs.stat(path.join(layout.root, name, 'events.jsonl')).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (stat !== null) found.push(name);
  }
  return found;
}

/**
 * Checks the marker at open, writing it into a store that has none yet, after migrating its runs of format 0,
 * and over the marker of format 1.
 */
export async function openFormat(layout: Layout, fsync: boolean, operation: string): Promise<void> {
  const version = await readFormat(layout, operation);
  if (version === FORMAT_VERSION) return;
  if (version !== undefined) return replaceFile(layout.formatFile, markerText(), fsync);
  const old = await unmarkedRuns(layout);
  // Runs made by another process that opened the store first, and wrote the marker meanwhile, are not old.
  const marked = async () => (await readFormat(layout, operation)) !== undefined;
  if (old.length > 0 && !(await migrateFormat0(layout, old, fsync, operation, marked))) return;
  await replaceFile(layout.formatFile, markerText(), fsync);
}

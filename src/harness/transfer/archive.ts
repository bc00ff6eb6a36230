// The archive format (docs/archive-format.md): NDJSON, a header line with the format and version, then per
// run a "run" record, its "event" records, an "outputs" record and an "end" record with the run's digest;
// a "footer" record last. `.gz` when the file name says so; stdin/stdout when there is no file.

import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../../contract/types.js';
import { canonicalEvent, canonicalRun, digestOf, type RunData } from './run-data.js';

export const ARCHIVE_FORMAT = 'wfstore-archive';
export const ARCHIVE_VERSION = 1;

export type ArchiveRecord =
  | { type: 'header'; format: string; version: number; created_at: string; source: string }
  | { type: 'run'; run: WorkflowRun; events: number }
  | { type: 'event'; event: WorkflowEvent }
  | { type: 'outputs'; run_id: string; outputs: [string, JsonValue][] }
  | { type: 'end'; run_id: string; digest: string }
  | { type: 'footer'; runs: number; events: number };

/** A damaged, truncated or unreadable archive: where (line) and what. */
export class ArchiveError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ArchiveError';
  }
}

export function openArchiveOutput(file: string | undefined): { stream: Writable; done: Promise<void> } {
  const target: Writable = file === undefined ? process.stdout : createWriteStream(file);
  const stream = file?.endsWith('.gz') ? createGzip() : new PassThrough();
  stream.pipe(target);
  const done = new Promise<void>((resolve, reject) => {
    const finished = file === undefined ? stream : target;
    finished.on(file === undefined ? 'end' : 'finish', () => resolve());
    target.on('error', reject);
    stream.on('error', reject);
  });
  return { stream, done };
}

/** Writes a record as one line, waiting when the stream is full (bounded memory). */
export async function writeRecord(stream: Writable, record: ArchiveRecord): Promise<void> {
  if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
}

/** The records of one run, in archive order. */
export function* runRecords(data: RunData): Generator<ArchiveRecord> {
  yield { type: 'run', run: canonicalRun(data.run), events: data.events.length };
  for (const event of data.events) yield { type: 'event', event: canonicalEvent(event) };
  yield { type: 'outputs', run_id: data.run.id, outputs: data.outputs };
  yield { type: 'end', run_id: data.run.id, digest: digestOf(data) };
}

function openInput(file: string | undefined): Readable {
  const source: Readable = file === undefined ? process.stdin : createReadStream(file);
  return file?.endsWith('.gz') ? source.pipe(createGunzip()) : source;
}

/**
 * The runs of an archive, one at a time, each only once its "end" record has been read and its digest
 * checked: a truncated or damaged archive stops at the first bad record, naming its line, and the run it
 * was in is never yielded (so never half-imported).
 */
export async function* readArchive(file: string | undefined): AsyncGenerator<RunData & { line: number }> {
  const lines = createInterface({ input: openInput(file), crlfDelay: Number.POSITIVE_INFINITY });
  const reader = new RunReader();
  let number = 0;
  try {
    for await (const text of lines) {
      number++;
      const finished = reader.take(parseLine(text, number), number);
      if (finished) yield { ...finished, line: number };
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(number + 1, `cannot be read: ${(error as Error).message}`);
  }
  reader.finish(number);
}

function parseLine(text: string, line: number): ArchiveRecord {
  try {
    const record = JSON.parse(text) as ArchiveRecord;
    if (typeof record !== 'object' || record === null || typeof record.type !== 'string') throw new Error('no "type"');
    return record;
  } catch (error) {
    throw new ArchiveError(line, `not an archive record (${(error as Error).message})`);
  }
}

/** Follows the records: header first, then run, its events, outputs, end; the footer last. */
class RunReader {
  private header = false;
  private footer = false;
  private current: (RunData & { expected: number; from: number }) | undefined;
  private runs = 0;
  private events = 0;

  take(record: ArchiveRecord, line: number): RunData | undefined {
    if (!this.header) return this.takeHeader(record, line);
    if (this.footer) throw new ArchiveError(line, 'a record after the footer');
    switch (record.type) {
      case 'run':
        if (this.current)
          throw new ArchiveError(line, `run "${this.current.run.id}" has no "end" record before this run`);
        this.current = { run: record.run, events: [], outputs: [], expected: record.events, from: line };
        return undefined;
      case 'event':
        this.inRun(line, 'an event').events.push(record.event);
        return undefined;
      case 'outputs':
        this.inRun(line, 'outputs').outputs = record.outputs;
        return undefined;
      case 'end':
        return this.end(record, line);
      case 'footer':
        return this.takeFooter(record, line);
      default:
        throw new ArchiveError(line, `unknown record type "${(record as { type: string }).type}"`);
    }
  }

  private takeHeader(record: ArchiveRecord, line: number): undefined {
    if (record.type !== 'header' || record.format !== ARCHIVE_FORMAT) {
      throw new ArchiveError(line, `not a ${ARCHIVE_FORMAT} (the first line must be its header)`);
    }
    if (record.version > ARCHIVE_VERSION) {
      throw new ArchiveError(
        line,
        `archive format version ${record.version} is newer than this wfstore reads (${ARCHIVE_VERSION}); upgrade wfstore`,
      );
    }
    this.header = true;
    return undefined;
  }

  private inRun(line: number, what: string): RunData & { expected: number; from: number } {
    if (this.current === undefined) throw new ArchiveError(line, `${what} outside a run`);
    return this.current;
  }

  private end(record: { run_id: string; digest: string }, line: number): RunData {
    const data = this.inRun(line, 'an end');
    if (record.run_id !== data.run.id)
      throw new ArchiveError(line, `the end of run "${record.run_id}" inside run "${data.run.id}"`);
    if (data.events.length !== data.expected) {
      throw new ArchiveError(
        line,
        `run "${data.run.id}" has ${data.events.length} event records, its run record says ${data.expected}`,
      );
    }
    const { expected: _expected, from, ...run } = data;
    if (digestOf(run) !== record.digest) {
      const lines = `lines ${from} to ${line}`;
      throw new ArchiveError(line, `run "${data.run.id}" (${lines}) does not match its digest: the archive is damaged`);
    }
    this.current = undefined;
    this.runs++;
    this.events += run.events.length;
    return run;
  }

  private takeFooter(record: { runs: number; events: number }, line: number): undefined {
    if (this.current) throw new ArchiveError(line, `run "${this.current.run.id}" has no "end" record`);
    if (record.runs !== this.runs || record.events !== this.events) {
      throw new ArchiveError(
        line,
        `the footer counts ${record.runs} runs and ${record.events} events; the archive holds ${this.runs} and ${this.events}`,
      );
    }
    this.footer = true;
    return undefined;
  }

  finish(lines: number): void {
    if (!this.header) throw new ArchiveError(lines + 1, 'the archive is empty');
    if (this.current)
      throw new ArchiveError(lines + 1, `the archive ends inside run "${this.current.run.id}": it is truncated`);
    if (!this.footer) throw new ArchiveError(lines + 1, 'the archive ends without its footer: it is truncated');
  }
}

// The archive format (docs/archive-format.md): NDJSON, a header line with the format and version, then per
// run a "run" record, its "event" records, an "outputs" record and an "end" record with the run's digest;
// a "footer" record last. `.gz` when the file name says so; stdin/stdout when there is no file.

import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { JsonValue, WorkflowEvent, WorkflowRun } from '../contract/types.js';
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

/** A damaged, truncated or unreadable archive: where (line, when there is one) and what. */
export class ArchiveError extends Error {
  constructor(
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
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

async function openInput(file: string | undefined): Promise<Readable> {
  if (file === undefined) return process.stdin;
  const handle = await open(file).catch((error: NodeJS.ErrnoException) => {
    throw new ArchiveError(
      undefined,
      `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  const source = handle.createReadStream();
  return file.endsWith('.gz') ? source.pipe(createGunzip()) : source;
}

/**
 * Opens an archive and checks its header (the first line) before anything else happens: the runs follow,
 * one at a time, each only once its "end" record has been read and checked (digest, outputs). A truncated or
 * damaged archive stops at the first bad record, naming its line, and the run it was in is never yielded
 * (so never half-imported).
 */
export async function openArchive(file: string | undefined): Promise<AsyncGenerator<RunData & { line: number }>> {
  const lines = createInterface({ input: await openInput(file), crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  const reader = new RunReader();
  const first = await readLine(iterator, 0);
  if (first === undefined) throw new ArchiveError(undefined, `the archive ${file ?? 'on standard input'} is empty`);
  reader.take(parseLine(first, 1), 1);
  return runsOf(iterator, reader);
}

async function readLine(lines: AsyncIterator<string>, before: number): Promise<string | undefined> {
  try {
    const next = await lines.next();
    return next.done ? undefined : next.value;
  } catch (error) {
    throw new ArchiveError(before + 1, `cannot be read: ${(error as Error).message}`);
  }
}

async function* runsOf(lines: AsyncIterator<string>, reader: RunReader): AsyncGenerator<RunData & { line: number }> {
  let number = 1;
  for (let text = await readLine(lines, number); text !== undefined; text = await readLine(lines, number)) {
    number++;
    const finished = reader.take(parseLine(text, number), number);
    if (finished) yield { ...finished, line: number };
  }
  reader.finish(number);
}

/** gzip's magic bytes as a UTF-8 line shows them. */
const GZIP_START = '\u001f\ufffd';

function parseLine(text: string, line: number): ArchiveRecord {
  if (line === 1 && text.startsWith(GZIP_START)) {
    throw new ArchiveError(line, 'this is gzip-compressed: give a file name ending in .gz, or pipe it through gunzip');
  }
  try {
    const record = JSON.parse(text) as ArchiveRecord;
    if (typeof record !== 'object' || record === null || typeof record.type !== 'string') throw new Error('no "type"');
    return record;
  } catch (error) {
    throw new ArchiveError(line, `not an archive record (${(error as Error).message})`);
  }
}

/**
 * Why a run's "outputs" record is not what its node_completed events give (each node's latest output),
 * or undefined. Outputs are derived: an archive whose outputs say otherwise was written wrong.
 */
function outputsProblem({ events, outputs }: RunData): string | undefined {
  const latest = new Map<string, string>();
  for (const { event_type, payload } of events) {
    if (event_type === 'node_completed') latest.set(String(payload.node_id), JSON.stringify(payload.output));
  }
  const given = new Map(outputs.map(([node, output]) => [node, JSON.stringify(output)]));
  for (const [node, output] of latest) {
    if (!given.has(node)) return `its outputs record lacks node "${node}", completed in its events`;
    if (given.get(node) !== output) return `its outputs record gives node "${node}" another output than its events`;
  }
  const extra = [...given.keys()].find((node) => !latest.has(node));
  return extra === undefined ? undefined : `its outputs record has node "${extra}", which no event completed`;
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
        `archive format version ${record.version} is newer than this wfstore reads (${ARCHIVE_VERSION}); ` +
          'upgrade wfstore',
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
    const lines = `lines ${from} to ${line}`;
    if (digestOf(run) !== record.digest)
      throw new ArchiveError(line, `run "${data.run.id}" (${lines}) does not match its digest: the archive is damaged`);
    const wrong = outputsProblem(run);
    if (wrong !== undefined) throw new ArchiveError(line, `run "${data.run.id}" (${lines}): ${wrong}`);
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
        `the footer counts ${record.runs} runs and ${record.events} events; ` +
          `the archive holds ${this.runs} and ${this.events}`,
      );
    }
    this.footer = true;
    return undefined;
  }

  finish(lines: number): void {
    const ends = `the archive ends after line ${lines}`;
    if (this.current)
      throw new ArchiveError(undefined, `${ends}, inside run "${this.current.run.id}": it is truncated`);
    if (!this.footer) throw new ArchiveError(undefined, `${ends}, without its footer: it is truncated`);
  }
}

// `wfstore verify` for the filesystem backend (WF-DUR-2). Checks every run of a store under its run lock (and
// the lock of its node files, view/writer.ts): run.json readable and the run's; events.seal readable; every
// line of events.jsonl (checksum, run id, sequence; the events of each update naming its commit line, which
// follows them and carries the update, log/check.ts) and the log against its seal — the whole log, which reads
// do not check (log/reads.ts); an update line that run.json does not hold yet; node files and the view
// (its line offsets and completions) against the log; temporary files left by writes that did not finish.
// Store-wide: the format marker, and runs half-created or half-deleted long ago. With `repair` it rebuilds only
// what is derived from the log: node files and the view, run.json rolled forward from an update line, and
// temporary files and leftovers removed. Events, the seal and a damaged run.json are never touched.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from '../../contract/errors.js';
import { ID_PATTERN } from '../../contract/limits.js';
import type { WorkflowRun } from '../../contract/types.js';
import type { Damage, VerifyOptions, VerifyReport } from '../verify.js';
import { readBytesOrNull, removeTemporaryFiles, replaceFile, TEMPORARY } from './files/io.js';
import { readFormat } from './files/format.js';
import { Layout, STALE_AFTER_MS } from './files/layout.js';
import { type CheckedLog, checkLog, EVENTS_FILE, RunDamage, scanLines } from './log/check.js';
import { completionsIn, type NodeOutput, nodeFileText, readNodeFile } from './view/node-files.js';
import { RunLocks, RunMissing } from './locks/run-lock.js';
import { applyLogged, holdsRun, RUN_FILE, readRunFile, runFileText } from './run-state.js';
import { readSeal, SEAL_FILE, type Seal, writeSeal } from './log/seal.js';
import { emptyView, parseView, type View, viewText } from './view/view.js';
import { extendView, ViewWriter } from './view/writer.js';

const OPERATION = 'verifyFilesystemStore';

/** Checks every run of the store under `artifactsDir`; with `repair`, rebuilds what is derived from the log. */
export async function verifyFilesystemStore(
  options: { artifactsDir: string },
  verify: VerifyOptions,
): Promise<VerifyReport> {
  const layout = new Layout(path.resolve(options.artifactsDir));
  const stat = await fs.stat(layout.root).catch(() => null);
  if (!stat?.isDirectory()) throw new StoreOpenError(`${OPERATION}: ${layout.root} is not a directory`);
  // A store of a newer format is refused, untouched.
  const damage: Damage[] = [];
  if ((await readFormat(layout, OPERATION)) === undefined)
    damage.push({
      runId: undefined,
      where: '.wfstore-format',
      problem: 'the format marker is missing',
      repairable: false,
    });
  damage.push(...(await storeLeftovers(layout, verify.repair)));
  const locks = new RunLocks((runId) => layout.runDir(runId));
  const views = new ViewWriter(layout);
  let runs = 0;
  let events = 0;
  try {
    const names = (await fs.readdir(layout.root)).filter((name) => ID_PATTERN.test(name)).sort();
    for (const runId of names) {
      const checked = await locks
        .withLock(runId, () => views.exclusive(runId, () => verifyRun(layout, runId, verify.repair)))
        .catch((error: unknown) => {
          if (error instanceof RunMissing) return null;
          throw error;
        });
      if (checked === null) continue;
      runs++;
      events += checked.events;
      damage.push(...checked.damage);
    }
  } finally {
    await views.close();
    await locks.close();
  }
  return { backend: 'filesystem', location: `files under ${layout.root}`, runs, events, damage };
}

/** Temporary files at the root, and runs half-created or half-deleted long enough ago that no process owns them. */
async function storeLeftovers(layout: Layout, repair: boolean): Promise<Damage[]> {
  const found: { file: string; where: string }[] = [];
  for (const name of await fs.readdir(layout.root)) {
    if (name.endsWith(TEMPORARY)) found.push({ file: path.join(layout.root, name), where: name });
  }
  for (const dir of [layout.staging, layout.trash]) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name);
      const entry = await fs.stat(file).catch(() => null);
      if (entry !== null && Date.now() - entry.mtimeMs > STALE_AFTER_MS)
        found.push({ file, where: path.relative(layout.root, file) });
    }
  }
  const damage: Damage[] = [];
  for (const { file, where } of found) {
    const problem = 'left by a write, create or delete that did not finish';
    const repaired = repair ? await fs.rm(file, { recursive: true, force: true }).then(() => true) : undefined;
    damage.push({ runId: undefined, where, problem, repairable: true, repaired });
  }
  return damage;
}

/** What a run's check found: damage, and what repair does about it. */
class RunReport {
  readonly damage: Damage[] = [];
  events = 0;

  constructor(readonly runId: string) {}

  add(where: string, problem: string, repairable: boolean): Damage {
    const found: Damage = { runId: this.runId, where, problem, repairable };
    this.damage.push(found);
    return found;
  }

  /** Records damage thrown by a check; anything else is rethrown. */
  caught(error: unknown): undefined {
    if (!(error instanceof RunDamage)) throw error;
    this.add(error.where, error.problem, false);
    return undefined;
  }
}

async function verifyRun(layout: Layout, runId: string, repair: boolean): Promise<RunReport | null> {
  if (!holdsRun(layout, runId)) return null; // a directory that holds none of a run's files is not a run
  const report = new RunReport(runId);
  let run: WorkflowRun | undefined;
  try {
    run = readRunFile(layout, runId);
  } catch (error) {
    report.caught(error);
  }
  const { log, bytes, seal } = await checkRunLog(layout, runId, report);
  if (log !== undefined && bytes !== undefined && seal !== undefined) {
    if (run !== undefined && log.pending.length > 0) await rollForward(layout, run, log, seal, report, repair);
    await checkOutputs(layout, runId, { bytes, end: log.end }, report, repair);
  }
  const temporary = await temporaryFiles(layout, runId);
  const found = temporary.map((file) => report.add(file, 'a temporary file left by a write that did not finish', true));
  if (repair && temporary.length > 0) {
    await removeTemporaryFiles([layout.runDir(runId), layout.nodesDir(runId)]);
    for (const damage of found) damage.repaired = true;
  }
  return report;
}

/** The seal and the log, checked; undefined parts where damage was found (and reported). */
async function checkRunLog(
  layout: Layout,
  runId: string,
  report: RunReport,
): Promise<{ log?: CheckedLog; bytes?: Buffer; seal?: Seal }> {
  let seal: Seal | undefined;
  try {
    seal = readSeal(layout.sealFile(runId)) ?? report.caught(new RunDamage(SEAL_FILE, 'it is missing'));
  } catch (error) {
    report.caught(error);
  }
  const bytes = await readBytesOrNull(layout.eventsFile(runId));
  if (bytes === null) return { seal, bytes: report.caught(new RunDamage(EVENTS_FILE, 'it is missing')) };
  try {
    if (seal === undefined) {
      // The lines can be checked without their seal.
      report.events = scanLines(runId, bytes, { tail: true }).lastSequence;
      return { bytes };
    }
    const log = checkLog(runId, bytes, seal);
    report.events = log.lastSequence;
    return { log, bytes, seal };
  } catch (error) {
    return { seal, bytes: report.caught(error) };
  }
}

/** An update line that run.json does not hold (a write interrupted after its commit): run.json is rolled forward. */
async function rollForward(
  layout: Layout,
  run: WorkflowRun,
  log: CheckedLog,
  seal: Seal,
  report: RunReport,
  repair: boolean,
): Promise<void> {
  const lines = log.pending.map((p) => p.sequence).join(', ');
  const found = report.add(RUN_FILE, `it does not hold the update of ${EVENTS_FILE} line ${lines} yet`, true);
  if (!repair) return;
  await replaceFile(layout.runFile(run.id), runFileText(log.pending.reduce(applyLogged, run)), true);
  const handle = await fs.open(layout.sealFile(run.id), 'r+');
  try {
    writeSeal(handle.fd, { ...seal, last_sequence: log.lastSequence, log_bytes: log.end });
  } finally {
    await handle.close();
  }
  found.repaired = true;
}

async function temporaryFiles(layout: Layout, runId: string): Promise<string[]> {
  const found: string[] = [];
  for (const [dir, prefix] of [
    [layout.runDir(runId), ''],
    [layout.nodesDir(runId), 'nodes/'],
  ] as const) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    found.push(...names.filter((name) => name.endsWith(TEMPORARY)).map((name) => `${prefix}${name}`));
  }
  return found;
}

/** Node files and the view against the log; with `repair`, the node files and the view are rewritten from it. */
async function checkOutputs(
  layout: Layout,
  runId: string,
  log: { bytes: Buffer; end: number },
  report: RunReport,
  repair: boolean,
): Promise<void> {
  const truth = completionsIn(log.bytes.subarray(0, log.end));
  const found: Damage[] = [];
  for (const [nodeId, node] of truth) {
    const problem = nodeFileProblem(readNodeFile(layout, runId, nodeId), node);
    if (problem !== undefined) found.push(report.add(`nodes/${nodeId}.json`, problem, true));
  }
  const names = await fs.readdir(layout.nodesDir(runId)).catch(() => [] as string[]);
  const extra = names.filter((n) => n.endsWith('.json') && !n.startsWith('.') && !truth.has(n.slice(0, -5)));
  for (const name of extra) found.push(report.add(`nodes/${name}`, 'the log has no completion of this node', true));
  const viewProblem = await checkView(layout, runId, log);
  if (viewProblem !== undefined) found.push(report.add('nodes/.view.json', viewProblem, true));
  if (!repair || found.length === 0) return;
  await fs.mkdir(layout.nodesDir(runId), { recursive: true });
  for (const [nodeId, { sequence, output }] of truth)
    await replaceFile(layout.nodeFile(runId, nodeId), nodeFileText(nodeId, sequence, JSON.stringify(output)), false);
  for (const name of extra) await fs.rm(path.join(layout.nodesDir(runId), name), { force: true });
  // Up to the seal, as a view always is (a roll-forward above may have moved it).
  const seal = readSeal(layout.sealFile(runId))!;
  const view = extendView(runId, emptyView(), log.bytes.subarray(0, seal.log_bytes), seal).view;
  await replaceFile(layout.viewFile(runId), viewText(view), false);
  for (const damage of found) damage.repaired = true;
}

function nodeFileProblem(file: NodeOutput | null, node: NodeOutput): string | undefined {
  if (file === null) return 'it is missing or fails its checksum';
  if (file.sequence !== node.sequence)
    return `it holds the completion of event ${file.sequence}; the node's latest is event ${node.sequence}`;
  if (JSON.stringify(file.output) !== JSON.stringify(node.output)) return 'its output differs from the log';
  return undefined;
}

/**
 * The view may lag behind the log (it is brought up to date after the appends) or be missing (rebuilt), but
 * what it records must be the log's: where it ends, each line offset, each node's latest completion there.
 */
async function checkView(layout: Layout, runId: string, log: { bytes: Buffer; end: number }) {
  const bytes = await readBytesOrNull(layout.viewFile(runId));
  if (bytes === null) return undefined;
  const view = parseView(bytes);
  if (view === undefined) return 'it is not a whole view (unreadable, of another format, or fails its checksum)';
  let expected: View;
  try {
    const part = log.bytes.subarray(0, view.log_bytes);
    if (view.log_bytes > log.end) throw new RunDamage(EVENTS_FILE, 'shorter');
    expected = extendView(runId, emptyView(), part, {
      last_sequence: view.last_sequence,
      log_bytes: view.log_bytes,
    }).view;
  } catch (error) {
    if (!(error instanceof RunDamage)) throw error;
    return `it records line ${view.last_sequence} ending at byte ${view.log_bytes}, which the log does not hold`;
  }
  if (JSON.stringify(view.lines) !== JSON.stringify(expected.lines)) return 'its line offsets are not those of the log';
  const same =
    view.nodes.size === expected.nodes.size &&
    [...expected.nodes].every(([id, n]) => {
      const recorded = view.nodes.get(id);
      return recorded?.sequence === n.sequence && recorded.offset === n.offset && recorded.length === n.length;
    });
  return same ? undefined : "its nodes' latest completions are not those of the log";
}

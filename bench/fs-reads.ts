// The filesystem backend's read paths on one run of 10,000 node_completed events over 1,000 nodes:
//  - the cold resume read: getCompletedDagNodeOutputs as the first call of a fresh process on a copy of the
//    run as its appends left it (and the first page of 1,000 events in that process);
//  - the same in a fresh store of this process (the code already compiled);
//  - warm: pages of 1,000 events (listWorkflowEvents, after 0, 1,000, … 9,000) and the resume read.
// With --old DIR (a copy of older code's src/), old and new are measured side by side, in alternating rounds.
//   npx tsx bench/fs-reads.ts [--old /tmp/old/src] [--events 10000] [--nodes 1000] [--trials 10]

import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Impl, implsFromArgs, loadImpl, numberOption, payload, spread, spreadText } from './fs-side.js';

const args = process.argv.slice(2);
const EVENTS = numberOption(args, '--events', 10_000);
const NODES = numberOption(args, '--nodes', 1_000);
const TRIALS = numberOption(args, '--trials', 10);
const RUN = 'big';
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The run as its appends leave it (concurrent appends, fsync off: only the run's shape matters). */
async function populate(impl: Impl, dir: string): Promise<void> {
  const store = await impl.open({ artifactsDir: dir, fsync: false });
  await store.createWorkflowRun({ id: RUN, workflow_name: 'bench', user_message: '' });
  for (let start = 0; start < EVENTS; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, EVENTS - start) }, (_, k) =>
        store.createWorkflowEvent({
          run_id: RUN,
          event_type: 'node_completed',
          payload: payload(start + k, `node-${(start + k) % NODES}`),
        }),
      ),
    );
  }
  await store.close();
}

interface ColdFigures {
  resumeMs: number;
  pageMs: number;
}

/** In a child process: opens the store and times its first resume read, then its first page. */
async function child(src: string, dir: string): Promise<void> {
  const impl = await loadImpl('child', src);
  const store = await impl.open({ artifactsDir: dir });
  const t0 = performance.now();
  const outputs = await store.getCompletedDagNodeOutputs(RUN);
  const t1 = performance.now();
  const page = await store.listWorkflowEvents(RUN, { after_sequence: EVENTS / 2, limit: 1000 });
  const t2 = performance.now();
  await store.close();
  if (outputs.size !== NODES || page.length !== Math.min(1000, EVENTS / 2)) throw new Error('wrong answers');
  process.stdout.write(JSON.stringify({ resumeMs: t1 - t0, pageMs: t2 - t1 } satisfies ColdFigures));
}

async function coldInProcess(impl: Impl, dir: string): Promise<ColdFigures> {
  const store = await impl.open({ artifactsDir: dir });
  const t0 = performance.now();
  await store.getCompletedDagNodeOutputs(RUN);
  const t1 = performance.now();
  await store.listWorkflowEvents(RUN, { after_sequence: EVENTS / 2, limit: 1000 });
  const t2 = performance.now();
  await store.close();
  return { resumeMs: t1 - t0, pageMs: t2 - t1 };
}

function coldInChild(impl: Impl, dir: string): ColdFigures {
  const script = fileURLToPath(import.meta.url);
  const argv = [
    '--import',
    'tsx',
    script,
    '--child',
    impl.src,
    dir,
    '--events',
    String(EVENTS),
    '--nodes',
    String(NODES),
  ];
  const result = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ColdFigures;
}

/** Each trial copies the run as its appends left it, for each implementation in turn (order alternating). */
async function coldTrials(impls: Impl[], populated: Map<string, string>, scratch: string) {
  const figures = new Map(impls.map((i) => [i.label, { process: [] as ColdFigures[], store: [] as ColdFigures[] }]));
  for (let t = 0; t < TRIALS; t++) {
    const order = t % 2 === 0 ? impls : [...impls].reverse();
    for (const impl of order) {
      for (const where of ['process', 'store'] as const) {
        const copy = path.join(scratch, `cold-${impl.label}-${t}-${where}`);
        await fs.cp(populated.get(impl.label)!, copy, { recursive: true });
        const figure = where === 'process' ? coldInChild(impl, copy) : await coldInProcess(impl, copy);
        figures.get(impl.label)![where].push(figure);
        await fs.rm(copy, { recursive: true, force: true });
      }
    }
  }
  return figures;
}

/** Warm reads, alternating implementations round by round: pages of 1,000, and the resume read. */
async function warmRounds(impls: Impl[], populated: Map<string, string>) {
  const stores = await Promise.all(impls.map((impl) => impl.open({ artifactsDir: populated.get(impl.label)! })));
  const pages = impls.map(() => [] as number[]);
  const resumes = impls.map(() => [] as number[]);
  for (const store of stores) await store.getCompletedDagNodeOutputs(RUN); // the view brought up to date
  for (let round = 0; round < 10 * TRIALS; round++) {
    for (const [k, store] of stores.entries()) {
      const after = (round % Math.ceil(EVENTS / 1000)) * 1000;
      let t0 = performance.now();
      await store.listWorkflowEvents(RUN, { after_sequence: after, limit: 1000 });
      pages[k]!.push(performance.now() - t0);
      t0 = performance.now();
      await store.getCompletedDagNodeOutputs(RUN);
      resumes[k]!.push(performance.now() - t0);
    }
  }
  await Promise.all(stores.map((s) => s.close()));
  return { pages, resumes };
}

async function main(): Promise<void> {
  const impls = await implsFromArgs(args);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-fs-reads-'));
  try {
    const populated = new Map<string, string>();
    for (const impl of impls) {
      const dir = path.join(scratch, `populated-${impl.label}`);
      await populate(impl, dir);
      populated.set(impl.label, dir);
    }
    log(`fs-reads: ${EVENTS} events over ${NODES} nodes; ${TRIALS} cold trials; cores ${os.cpus().length}`);
    const cold = await coldTrials(impls, populated, scratch);
    const warm = await warmRounds(impls, populated);
    for (const [k, impl] of impls.entries()) {
      const c = cold.get(impl.label)!;
      console.log(
        `${impl.label}: cold resume, fresh process   ${spreadText(spread(c.process.map((f) => f.resumeMs)))}`,
      );
      console.log(`${impl.label}: cold page, fresh process     ${spreadText(spread(c.process.map((f) => f.pageMs)))}`);
      console.log(`${impl.label}: cold resume, fresh store     ${spreadText(spread(c.store.map((f) => f.resumeMs)))}`);
      console.log(`${impl.label}: cold page, fresh store       ${spreadText(spread(c.store.map((f) => f.pageMs)))}`);
      console.log(`${impl.label}: warm page of 1,000           ${spreadText(spread(warm.pages[k]!))}`);
      console.log(`${impl.label}: warm resume read             ${spreadText(spread(warm.resumes[k]!))}`);
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

if (args[0] === '--child') await child(args[1]!, args[2]!);
else await main();

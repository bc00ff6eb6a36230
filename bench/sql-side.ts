// The SQL backends' hot path, older code and this code side by side in alternating rounds (bench/measure.ts):
// appends (plain, node_completed, fenced by status and a claim token), an update with one event and with 1,000,
// the resume read, a page of 1,000 events, a run read, and a page of 50 runs out of 10,000 (oldest first: what
// older code can list). --old DIR is a copy of older code's src/ inside the repository (it finds node_modules);
// without it, this code alone. Each backend's stores at its default durability (SQLite: synchronous=full).
//   WFSTORE_PG_URL=… npx tsx bench/sql-side.ts [--old DIR] [--backends sqlite,postgres] [--rounds 5]
//     [--only <part of an operation's name>]

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IWorkflowStore } from '../src/contract/types.js';
import { provisionPostgres } from '../src/testing/postgres/provision.js';
import { ThrowawaySchemas } from '../src/testing/postgres/schemas.js';
import { numberOption, payload, ROOT } from './fs-side.js';
import { type Figure, measureSideBySide } from './measure.js';

const args = process.argv.slice(2);
const ROUNDS = numberOption(args, '--rounds', 5);
const OLD = args.includes('--old') ? args[args.indexOf('--old') + 1] : undefined;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const BACKENDS = (args.includes('--backends') ? args[args.indexOf('--backends') + 1]! : 'sqlite,postgres').split(',');
const log = (line: string) => process.stderr.write(`${line}\n`);

type Open = (location: string) => Promise<IWorkflowStore>;

async function opener(src: string, backend: string, connectionString?: string): Promise<Open> {
  const file = path.join(path.resolve(src), 'backends', backend, 'index.ts');
  const module = (await import(pathToFileURL(file).href)) as Record<
    string,
    (options: object) => Promise<IWorkflowStore>
  >;
  if (backend === 'sqlite') return (filename) => module.createSqliteStore!({ filename });
  return (schema) => module.createPostgresStore!({ connectionString, schema });
}

type Op = (i: number) => Promise<unknown>;

/** The operations measured on one store, after the runs and events they read are in place. */
async function operations(store: IWorkflowStore): Promise<[string, Op][]> {
  await store.createWorkflowRun({
    id: 'a',
    workflow_name: 'bench',
    user_message: '',
    status: 'running',
    metadata: { claim: 'c-1' },
  });
  await store.createWorkflowRun({ id: 'u', workflow_name: 'bench', user_message: '', status: 'running' });
  await store.createWorkflowRun({ id: 'big', workflow_name: 'bench', user_message: '' });
  const thousand = (i: number) =>
    Array.from({ length: 1000 }, (_, k) => ({
      event_type: 'node_completed',
      payload: payload(i * 1000 + k, `node-${k}`),
    }));
  await store.updateWorkflowRun('big', {}, { events: thousand(0) });
  for (let i = 0; i < 10_000; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, k) =>
        store.createWorkflowRun({ id: `r-${i + k}`, workflow_name: 'many', user_message: '' }),
      ),
    );
  }
  return [
    ['append (plain)', (i) => store.createWorkflowEvent({ run_id: 'a', event_type: 'tick', payload: payload(i) })],
    [
      'append (node_completed)',
      (i) =>
        store.createWorkflowEvent({
          run_id: 'a',
          event_type: 'node_completed',
          payload: payload(i, `node-${i % 1000}`),
        }),
    ],
    [
      'append fenced (expected_status, expected_metadata)',
      (i) =>
        store.createWorkflowEvent(
          { run_id: 'a', event_type: 'tick', payload: payload(i) },
          { expected_status: 'running', expected_metadata: { claim: 'c-1' } },
        ),
    ],
    [
      'update with 1 event',
      (i) => store.updateWorkflowRun('u', { metadata: { i } }, { event: { event_type: 'tick', payload: payload(i) } }),
    ],
    ['update with 1,000 events', (i) => store.updateWorkflowRun('u', { metadata: { i } }, { events: thousand(i) })],
    ['getCompletedDagNodeOutputs (1,000 nodes)', () => store.getCompletedDagNodeOutputs('big')],
    ['listWorkflowEvents page of 1,000', () => store.listWorkflowEvents('big', { limit: 1000 })],
    ['getWorkflowRun', () => store.getWorkflowRun('a')],
    [
      'listWorkflowRuns page of 50 (of 10,000, oldest first)',
      () => store.listWorkflowRuns({ workflow_name: 'many', limit: 50 }),
    ],
  ];
}

const fmt = (f: Figure) => `${f.medianMs.toFixed(3)} ms (p99 ${f.p99Ms.toFixed(2)})`;

async function benchBackend(
  backend: string,
  scratch: string,
  connectionString: string | undefined,
  schemas?: ThrowawaySchemas,
) {
  const impls = [...(OLD ? [{ label: 'old', src: OLD }] : []), { label: 'new', src: path.join(ROOT, 'src') }];
  const stores: IWorkflowStore[] = [];
  const locations: string[] = [];
  for (const { label, src } of impls) {
    const open = await opener(src, backend, connectionString);
    const location =
      backend === 'sqlite' ? path.join(scratch, `${label}.db`) : schemas!.newName(`wfstore_bench_${label}`);
    locations.push(location);
    stores.push(await open(location));
  }
  try {
    const ops = await Promise.all(stores.map(operations));
    log(`${backend}: ${impls.map((i) => i.label).join(' | ')}`);
    for (const [k, [name]] of ops[0]!.entries()) {
      if (ONLY !== undefined && !name.includes(ONLY)) continue;
      const heavy = name.includes('1,000');
      const options = { warmup: heavy ? 3 : 20, rounds: ROUNDS, ops: heavy ? 20 : 200, roundMs: 1500 };
      const figures = await measureSideBySide(
        ops.map((o) => o[k]![1]),
        options,
      );
      const ratio =
        figures.length === 2 ? `  new/old ${(figures[1]!.medianMs / figures[0]!.medianMs).toFixed(2)}×` : '';
      log(`  ${name.padEnd(55)} ${figures.map(fmt).join(' | ')}${ratio}`);
    }
  } finally {
    for (const store of stores) await store.close();
    if (backend === 'postgres') for (const schema of locations) await schemas!.drop(schema);
  }
}

async function main(): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'wfstore-bench-sql-side-'));
  const server = BACKENDS.includes('postgres') ? await provisionPostgres({ log }) : undefined;
  const schemas = server && new ThrowawaySchemas(server.connectionString);
  log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
  try {
    for (const backend of BACKENDS) await benchBackend(backend, scratch, server?.connectionString, schemas);
  } finally {
    await schemas?.end();
    await server?.stop();
    await fs.rm(scratch, { recursive: true, force: true });
  }
  log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}`,
  );
}

await main();

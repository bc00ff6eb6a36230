// PostgreSQL appends under the many-runs load (bench/many-runs.ts): K runs at once (K = 1, 4, 16, 64), each
// appending its events one after the other (half node_completed), beside the raw driver (one INSERT in
// autocommit) on a pool of the same size as the store's. With --old DIR (a copy of older code's src/ inside
// the repository, so that it finds node_modules), old and new run side by side, in alternating rounds.
//   WFSTORE_PG_URL=… npx tsx bench/pg-appends.ts [--old DIR] [--ks 1,4,16,64] [--per-run 200] [--rounds 1]

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { createPostgresStore } from '../src/backends/postgres/index.js';
import { DEFAULT_MAX_CONNECTIONS } from '../src/backends/postgres/options.js';
import type { IWorkflowStore } from '../src/contract/types.js';
import { provisionPostgres } from '../src/testing/postgres/provision.js';
import { ThrowawaySchemas } from '../src/testing/postgres/schemas.js';
import { rawPostgres } from './baselines.js';
import { numberOption, payload, ROOT } from './fs-side.js';
import { type ManyRunsContender, measureManyRuns } from './many-runs.js';

const args = process.argv.slice(2);
const ROUNDS = numberOption(args, '--rounds', 1);
const PER_RUN = numberOption(args, '--per-run', 200);
const KS = (args.includes('--ks') ? args[args.indexOf('--ks') + 1]! : '1,4,16,64').split(',').map(Number);
const OLD = args.includes('--old') ? args[args.indexOf('--old') + 1] : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

async function opener(src: string): Promise<typeof createPostgresStore> {
  const url = pathToFileURL(path.join(path.resolve(src), 'backends', 'postgres', 'index.ts')).href;
  return ((await import(url)) as { createPostgresStore: typeof createPostgresStore }).createPostgresStore;
}

function ours(label: string, store: IWorkflowStore): ManyRunsContender {
  return {
    label,
    kind: 'ours',
    prepare: async (round, runs) => {
      for (let r = 0; r < runs; r++)
        await store.createWorkflowRun({ id: `${round}-${r}`, workflow_name: 'bench', user_message: '' });
    },
    write: (round, run, i) =>
      store.createWorkflowEvent(
        i % 2 === 0
          ? { run_id: `${round}-${run}`, event_type: 'node_completed', payload: payload(i, `node-${i % 20}`) }
          : { run_id: `${round}-${run}`, event_type: 'tick', payload: payload(i) },
      ),
  };
}

async function main(): Promise<void> {
  const server = await provisionPostgres({ log });
  const schemas = new ThrowawaySchemas(server.connectionString);
  const { connectionString } = server;
  const impls = [{ label: 'new', src: path.join(ROOT, 'src') }, ...(OLD ? [{ label: 'old', src: OLD }] : [])];
  const stores = await Promise.all(
    impls.map(async ({ label, src }) => {
      const schema = schemas.newName(`wfstore_bench_${label}`);
      return { label, schema, store: await (await opener(src))({ connectionString, schema }) };
    }),
  );
  const raw = await rawPostgres(connectionString, schemas.newName('wfstore_bench_raw'), DEFAULT_MAX_CONNECTIONS);
  const sample = { event_type: 'node_completed', timestamp: new Date().toISOString() };
  const contenders: ManyRunsContender[] = [
    ...stores.map(({ label, store }) => ours(label, store)),
    {
      label: 'raw',
      kind: 'raw',
      write: (round, run, i) =>
        raw.append(i + 1, { ...sample, run_id: `${round}-${run}`, payloadJson: JSON.stringify(payload(i, 'n')) }),
    },
  ];
  log(`pg-appends: ${contenders.map((c) => c.label).join(', ')}; pool ${DEFAULT_MAX_CONNECTIONS}; ${ROUNDS} rounds`);
  try {
    for (const k of KS) {
      const figures = await measureManyRuns(contenders, k, PER_RUN, ROUNDS);
      const rawRate = figures.at(-1)!.opsPerSec;
      for (const [c, figure] of figures.entries()) {
        console.log(
          `  K=${String(k).padEnd(3)} ${contenders[c]!.label.padEnd(4)} ${figure.opsPerSec.toFixed(0).padStart(6)} ` +
            `events/s  p50 ${figure.medianMs.toFixed(2)} ms  p99 ${figure.p99Ms.toFixed(2)} ms  ` +
            `${(figure.opsPerSec / rawRate).toFixed(2)}× raw`,
        );
      }
    }
  } finally {
    await raw.close();
    for (const { store, schema } of stores) {
      await store.close();
      await schemas.drop(schema);
    }
    await schemas.end();
    await server.stop();
  }
}

await main();

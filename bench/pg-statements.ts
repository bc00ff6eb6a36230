// What named (prepared) statements save per append, straight to PostgreSQL and through PgBouncer in transaction
// mode: one store appending to one run, one call at a time (the round trip and the server's parse and plan of
// each statement, nothing hidden by group commit), then 16 runs appending at once. Every store has one
// connection that is never closed while idle (pg closes idle ones after 10 s; a new connection behind PgBouncer
// would find the names already there), so the configurations differ only in how statements are sent.
// Configurations take turns, round after round, so that drift of a shared machine spreads over all of them.
//   npx tsx bench/pg-statements.ts [--appends 2000] [--rounds 3]
// PostgreSQL from the provisioning chain (WFSTORE_PG_URL, Docker, embedded); PgBouncer from the OS package.
// "pgbouncer named" runs on a PgBouncer with one server connection and one client, the only way names hold
// through PgBouncer 1.18 (1.21+ can keep prepared statements itself: max_prepared_statements).

import type { StatementMode } from '../src/backends/postgres/options.js';
import pg from 'pg';
import { createPostgresStore } from '../src/backends/postgres/index.js';
import { buildQueries } from '../src/backends/postgres/queries.js';
import type { IWorkflowStore } from '../src/contract/types.js';
import { startPgBouncer } from '../src/testing/postgres/pgbouncer.js';
import { provisionPostgres } from '../src/testing/postgres/provision.js';
import { ThrowawaySchemas } from '../src/testing/postgres/schemas.js';
import { numberOption, payload } from './fs-side.js';

const args = process.argv.slice(2);
const APPENDS = numberOption(args, '--appends', 2000);
const ROUNDS = numberOption(args, '--rounds', 3);
const WARMUP = 200;
const AT_ONCE = 16;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Config {
  label: string;
  url: string;
  statements: StatementMode;
  store?: IWorkflowStore;
  pool?: pg.Pool;
  latencies: number[];
  rates: number[];
}

const event = (run: string, i: number) =>
  i % 2 === 0
    ? { run_id: run, event_type: 'node_completed', payload: payload(i, `node-${i % 20}`) }
    : { run_id: run, event_type: 'tick', payload: payload(i) };

/** `APPENDS` appends one after the other to a new run; each one's time in µs. */
async function oneAtATime(store: IWorkflowStore, run: string): Promise<number[]> {
  await store.createWorkflowRun({ id: run, workflow_name: 'bench', user_message: '' });
  for (let i = 0; i < WARMUP; i++) await store.createWorkflowEvent(event(run, i));
  const times: number[] = [];
  for (let i = WARMUP; i < WARMUP + APPENDS; i++) {
    const started = process.hrtime.bigint();
    await store.createWorkflowEvent(event(run, i));
    times.push(Number(process.hrtime.bigint() - started) / 1_000);
  }
  return times;
}

/** AT_ONCE runs each appending APPENDS / AT_ONCE events one after the other; events per second overall. */
async function atOnce(store: IWorkflowStore, prefix: string): Promise<number> {
  const runs = Array.from({ length: AT_ONCE }, (_, r) => `${prefix}-${r}`);
  for (const run of runs) await store.createWorkflowRun({ id: run, workflow_name: 'bench', user_message: '' });
  const per = Math.ceil(APPENDS / AT_ONCE);
  const started = performance.now();
  await Promise.all(
    runs.map(async (run) => {
      for (let i = 0; i < per; i++) await store.createWorkflowEvent(event(run, i));
    }),
  );
  return (per * AT_ONCE) / ((performance.now() - started) / 1_000);
}

/**
 * The server's planning time of an append (EXPLAIN SUMMARY, which plans without running): part of what an
 * unnamed statement pays on every call and a named one only until its plan is cached. Median of 200, in µs.
 */
async function planningMicros(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(schema);
    const { text, values } = buildQueries(quoted, 10_000).append(['r', 'tick', new Date().toISOString(), '{}', 'x']);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { rows } = await client.query<{ 'QUERY PLAN': [{ 'Planning Time': number }] }>(
        `EXPLAIN (SUMMARY, FORMAT JSON) ${text}`,
        values,
      );
      times.push(rows[0]!['QUERY PLAN'][0]['Planning Time'] * 1_000);
    }
    return quantile(
      times.sort((a, b) => a - b),
      0.5,
    );
  } finally {
    await client.end();
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const server = await provisionPostgres({ log });
  const pooled = await startPgBouncer({ upstream: server.connectionString, log });
  const single = await startPgBouncer({ upstream: server.connectionString, poolSize: 1, log });
  const schemas = new ThrowawaySchemas(server.connectionString);
  const configs: Config[] = (
    [
      { label: 'direct named', url: server.connectionString, statements: 'named' },
      { label: 'direct unnamed', url: server.connectionString, statements: 'unnamed' },
      { label: 'pgbouncer unnamed', url: pooled.connectionString, statements: 'unnamed' },
      { label: 'pgbouncer named*', url: single.connectionString, statements: 'named' },
    ] as const
  ).map((c) => ({ ...c, latencies: [], rates: [] }));
  const used: string[] = [];
  try {
    for (const config of configs) {
      const schema = schemas.newName('wfstore_bench_stmt');
      used.push(schema);
      config.pool = new pg.Pool({ connectionString: config.url, max: 1, idleTimeoutMillis: 0 });
      config.store = await createPostgresStore({ pool: config.pool, schema, statements: config.statements });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const config of configs) {
        config.latencies.push(...(await oneAtATime(config.store!, `seq-${round}`)));
        config.rates.push(await atOnce(config.store!, `par-${round}`));
      }
      log(`pg-statements: round ${round + 1} of ${ROUNDS} done`);
    }
    console.log(
      `pg-statements: ${APPENDS} appends one at a time × ${ROUNDS} rounds (µs per append), ` +
        `then ${AT_ONCE} runs at once (events/s, median of rounds); half are node_completed`,
    );
    for (const config of configs) {
      const sorted = [...config.latencies].sort((a, b) => a - b);
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      const rates = [...config.rates].sort((a, b) => a - b);
      console.log(
        `  ${config.label.padEnd(18)} p50 ${quantile(sorted, 0.5).toFixed(0).padStart(5)} µs  ` +
          `p99 ${quantile(sorted, 0.99).toFixed(0).padStart(5)} µs  mean ${mean.toFixed(0).padStart(5)} µs  ` +
          `${AT_ONCE} at once ${quantile(rates, 0.5).toFixed(0).padStart(6)} events/s`,
      );
    }
    console.log('  * PgBouncer with one server connection: how names would do behind a pooler that kept them');
    const planned = await planningMicros(server.connectionString, used[0]!);
    console.log(`  the server plans an append in ${planned.toFixed(0)} µs (EXPLAIN SUMMARY, median of 200)`);
  } finally {
    for (const config of configs) {
      await config.store?.close();
      await config.pool?.end();
    }
    for (const schema of used) await schemas.drop(schema);
    await schemas.end();
    await single.stop();
    await pooled.stop();
    await server.stop();
  }
}

await main();

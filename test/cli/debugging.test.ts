// The commands of someone debugging a run, as a user runs them (bin/wfstore.js in a child process), on each
// durable reference backend (PostgreSQL when WFSTORE_PG_URL is set): `runs --idle` finds the running runs that
// have done nothing for a while; `cancel` and `fail` end a run by compare-and-set, with their event; `events`
// shows every payload field under its own name, with full dates; a store that cannot be opened is named.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BackendDescriptor } from '../../src/backends/descriptor.js';
import { BACKENDS } from '../../src/backends/registry.js';
import { openStore } from '../../src/backends/store-url.js';
import type { IWorkflowStore, WorkflowEvent } from '../../src/contract/types.js';
import { urlFromEnvironment } from '../../src/testing/postgres/choose.js';
import { dropSchema } from '../../src/testing/postgres/schemas.js';
import { idleRuns } from '../../src/transfer/idle.js';

const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));
const wfstore = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-debugging-'));
const serverUrl = urlFromEnvironment(process.env);
const schemas: string[] = [];
let made = 0;

/** A URL for a new store of `backend`: in the scratch directory, or a new schema on WFSTORE_PG_URL's server. */
function newUrl(backend: BackendDescriptor): string | undefined {
  made++;
  const location = backend.locationIn(path.join(scratch, `${backend.name}-${made}`));
  if (location === undefined) {
    if (serverUrl === undefined) return undefined;
    const url = new URL(serverUrl);
    const schema = `wfstore_debugging_${process.pid}_${made}`;
    url.searchParams.set('schema', schema);
    schemas.push(schema);
    return url.toString();
  }
  const [where] = Object.values(location) as string[];
  const url = `${backend.url.schemes[0]}:${where}`;
  assert.deepEqual(backend.fromUrl(url), location, `${backend.name}: a URL naming ${where}`);
  return url;
}

after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (serverUrl === undefined || schemas.length === 0) return;
  const pool = new pg.Pool({ connectionString: serverUrl, max: 1 });
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

const HOUR = 3_600_000;

/** The store at `url` with a clock the test sets: `clock.ago` milliseconds before now. */
async function withClock<T>(url: string, body: (store: IWorkflowStore, clock: { ago: number }) => Promise<T>) {
  const clock = { ago: 0 };
  const store = await openStore(url, { now: () => new Date(Date.now() - clock.ago) });
  try {
    return await body(store, clock);
  } finally {
    await store.close();
  }
}

async function eventsOf(url: string, runId: string): Promise<WorkflowEvent[]> {
  return withClock(url, (store) => store.listWorkflowEvents(runId));
}

/** The ids of a table's rows, in order (the runs of these tests are named in lowercase letters only). */
const idsOf = (stdout: string) => [...stdout.matchAll(/^([a-z]+)\s+\S+\s+(?:running|paused)\s/gm)].map((m) => m[1]!);

const durable = BACKENDS.filter((b) => b.supports.permanent);

for (const backend of durable) {
  const url = newUrl(backend);
  const skip = url === undefined ? `${backend.label}: WFSTORE_PG_URL is not set` : false;

  describe(`wfstore runs --idle on ${backend.label}`, { skip }, () => {
    const store = url ?? '';
    before(async () => {
      if (skip) return;
      await withClock(store, async (s, clock) => {
        const make = async (id: string, ago: number, workflow = 'build', status: 'running' | 'paused' = 'running') => {
          clock.ago = ago;
          await s.createWorkflowRun({ id, workflow_name: workflow, user_message: '', status });
          await s.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { node_id: 'a' } });
        };
        await make('stale', 5 * HOUR);
        await make('other', 4 * HOUR, 'etl');
        await make('quiet', 3 * HOUR);
        await make('chatty', 5 * HOUR);
        await make('beating', 5 * HOUR);
        await make('resting', 6 * HOUR, 'build', 'paused');
        await make('fresh', 60_000);
        clock.ago = 60_000;
        // An event a minute ago: appending it leaves updated_at 5 hours old.
        await s.createWorkflowEvent({ run_id: 'chatty', event_type: 'node_completed', payload: { node_id: 'a' } });
        // A heartbeat a minute ago: a metadata-only update, which moves updated_at.
        await s.updateWorkflowRun('beating', { metadata: { beat: 1 } }, { expected_status: 'running' });
      });
    });

    it('lists the running runs with neither an update nor an event for that long, oldest activity first', () => {
      const result = wfstore('runs', store, '--idle', '2h');
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(idsOf(result.stdout), ['stale', 'other', 'quiet']);
      const stale = result.stdout.split('\n').find((line) => line.startsWith('stale '));
      assert.match(
        stale ?? '',
        /^stale\s+build\s+running\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+5h( \d+m)? ago\s+#1 node_started$/,
      );
      assert.match(result.stdout, /^3 run\(s\) idle for at least 2h \(6 running run\(s\) listed, 4 log\(s\) read\)$/m);
    });

    it('combines with --workflow, --limit and --json; a longer duration shows fewer', () => {
      assert.deepEqual(idsOf(wfstore('runs', store, '--idle', '2h', '--workflow', 'build').stdout), ['stale', 'quiet']);
      assert.deepEqual(idsOf(wfstore('runs', store, '--idle', '4h30m').stdout), ['stale']);
      const limited = wfstore('runs', store, '--idle', '90m', '--limit', '1');
      assert.deepEqual(idsOf(limited.stdout), ['stale']);
      assert.match(limited.stdout, /1 run\(s\) idle for at least 1h 30m, 2 more not shown \(raise --limit\)/);
      const json = wfstore('runs', store, '--idle', '2h', '--json');
      assert.equal(json.status, 0, json.stderr);
      const rows = JSON.parse(json.stdout) as { run: { id: string }; last_event: { sequence: number } | null }[];
      assert.deepEqual(
        rows.map((r) => [r.run.id, r.last_event?.sequence]),
        [
          ['stale', 1],
          ['other', 1],
          ['quiet', 1],
        ],
      );
      assert.match(json.stderr, /3 run\(s\) idle for at least 2h/);
    });
  });

  describe(`wfstore cancel and fail on ${backend.label}`, { skip }, () => {
    const store = url === undefined ? '' : newUrl(backend)!;
    before(async () => {
      if (skip) return;
      await withClock(store, async (s) => {
        for (const [id, status] of [
          ['one', 'running'],
          ['two', 'paused'],
          ['done', 'running'],
          ['seen', 'running'],
        ] as const) {
          await s.createWorkflowRun({ id, workflow_name: 'w', user_message: '', status });
          await s.createWorkflowEvent({ run_id: id, event_type: 'node_started', payload: { node_id: 'a' } });
        }
        await s.updateWorkflowRun('done', { status: 'completed' });
      });
    });

    it('cancel: running → cancelled, with a workflow_cancelled event in the same commit', async () => {
      const result = wfstore('cancel', store, 'one', '--reason', 'stuck on a lock');
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /run "one": running → cancelled, event #2 workflow_cancelled/);
      const run = await withClock(store, (s) => s.getWorkflowRun('one'));
      assert.equal(run?.status, 'cancelled');
      const last = (await eventsOf(store, 'one')).at(-1);
      assert.deepEqual([last?.sequence, last?.event_type], [2, 'workflow_cancelled']);
      assert.deepEqual(last?.payload, { reason: 'stuck on a lock', by: 'wfstore cli' });
    });

    it('fail: paused → failed with its reason; --reason is required (exit 2)', async () => {
      assert.equal(wfstore('fail', store, 'two').status, 2);
      const result = wfstore('fail', store, 'two', '--reason', 'worker gone', '--expect-status', 'paused');
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /run "two": paused → failed, event #2 workflow_failed/);
      const last = (await eventsOf(store, 'two')).at(-1);
      assert.deepEqual(
        [last?.event_type, last?.payload],
        ['workflow_failed', { reason: 'worker gone', by: 'wfstore cli' }],
      );
    });

    it('refuses (exit 1), changing nothing: a move not allowed, an unknown run, an unexpected status', async () => {
      const completed = wfstore('cancel', store, 'done');
      assert.equal(completed.status, 1);
      assert.match(completed.stderr, /run "done": "completed" → "cancelled" is not allowed \("completed" is final\)/);
      const unknown = wfstore('fail', store, 'nope', '--reason', 'x');
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /no run "nope" in /);
      const expected = wfstore('cancel', store, 'seen', '--expect-status', 'paused');
      assert.equal(expected.status, 1);
      assert.match(
        expected.stderr,
        /run "seen": --expect-status paused, but the run is "running"; nothing was changed/,
      );
      assert.equal(wfstore('cancel', store, 'seen', '--expect-status', 'stopped').status, 2);
      for (const id of ['done', 'seen']) assert.equal((await eventsOf(store, id)).length, 1, id);
    });
  });

  describe(`wfstore events on ${backend.label}: a custom engine's payloads as they are`, { skip }, () => {
    const store = url === undefined ? '' : newUrl(backend)!;
    const long = 'x'.repeat(1300);
    before(async () => {
      if (skip) return;
      await withClock(store, async (s) => {
        await s.createWorkflowRun({ id: 'custom', workflow_name: 'w', user_message: '', status: 'running' });
        await s.createWorkflowEvent({
          run_id: 'custom',
          event_type: 'workflow_resumed',
          payload: { reused: ['a', 'b'], attempt: 2, note: 'by hand' },
        });
        await s.createWorkflowEvent({
          run_id: 'custom',
          event_type: 'node_completed',
          payload: { node_id: 'a', output: { blob: long }, took_ms: 12 },
        });
      });
    });

    it('shows each event with its full timestamp and every payload field, long values cut with a marker', async () => {
      const [resumed, completed] = await eventsOf(store, 'custom');
      const result = wfstore('events', store, 'custom');
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.split('\n');
      assert.equal(
        lines[0],
        `#1   ${resumed!.timestamp}  workflow_resumed    reused=["a","b"]  attempt=2  note="by hand"`,
      );
      assert.doesNotMatch(result.stdout, /reusing/);
      const output = JSON.stringify({ blob: long });
      assert.equal(
        lines[1],
        `#2   ${completed!.timestamp}  node_completed      node_id=a  ` +
          `output=${output.slice(0, 120)}…(+${output.length - 120} chars)  took_ms=12`,
      );
      const json = wfstore('events', store, 'custom', '--json');
      assert.deepEqual(
        json.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
        [resumed, completed],
      );
    });
  });
}

describe('wfstore runs --idle: durations and options it does not take', () => {
  const store = `sqlite:${path.join(scratch, 'usage.db')}`;
  before(async () => {
    await withClock(store, async () => {});
  });

  it('a duration that is not one is a usage error (exit 2) naming the option', () => {
    for (const bad of ['5x', '0s', '10', 'h', '2h-', '']) {
      const result = wfstore('runs', store, '--idle', bad);
      assert.equal(result.status, 2, bad);
      assert.match(result.stderr, /option '--idle <duration>' argument .* is invalid/, bad);
    }
  });

  it('--order, --after and a status other than running are refused with --idle (exit 2)', () => {
    for (const extra of [
      ['--order', 'asc'],
      ['--after', '2026-01-01T00:00:00.000Z,a'],
      ['--status', 'paused'],
    ]) {
      const result = wfstore('runs', store, '--idle', '1h', ...extra);
      assert.equal(result.status, 2, extra.join(' '));
      assert.match(result.stderr, new RegExp(`--idle .* it takes no ${extra[0]}`));
    }
    assert.equal(wfstore('runs', store, '--idle', '1h', '--status', 'running').status, 0);
  });

  it('pages through every running run with the keyset position (a page of 2 here)', async () => {
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const seen = await withClock(store, async (s, clock) => {
      clock.ago = 3 * HOUR;
      for (const id of ids) await s.createWorkflowRun({ id, workflow_name: 'w', user_message: '', status: 'running' });
      return idleRuns(s, { idleMs: HOUR, limit: 50, pageSize: 2 }, '1.2');
    });
    assert.deepEqual(seen.idle.map((i) => i.run.id).sort(), ids);
    assert.equal(seen.running, 5);
  });
});

describe('wfstore cancel: a run that moved between the read and the write', () => {
  const FIXTURE = fileURLToPath(new URL('./fixtures/moves-after-read.ts', import.meta.url));
  const file = path.join(scratch, 'moving.db');

  it('is left as the other worker put it: exit 1, naming the run, the status seen and the status found', async () => {
    await withClock(`sqlite:${file}`, async (s) => {
      await s.createWorkflowRun({ id: 'busy', workflow_name: 'w', user_message: '', status: 'running' });
    });
    const location = `store:${JSON.stringify({ file, to: 'paused' })}`;
    const result = wfstore('cancel', location, 'busy', '--store', FIXTURE);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /run "busy" moved meanwhile: it was "running" when read and is "paused" now/);
    const run = await withClock(`sqlite:${file}`, (s) => s.getWorkflowRun('busy'));
    assert.equal(run?.status, 'paused');
    assert.deepEqual(await eventsOf(`sqlite:${file}`, 'busy'), []);
  });
});

describe('a store that cannot be opened is named, its password hidden', () => {
  it('a file that is not a database: the URL and what failed', () => {
    const file = path.join(scratch, 'not-a-database.db');
    writeFileSync(file, 'not a database, only text, long enough to be read as a header and refused\n'.repeat(20));
    for (const args of [
      ['runs', `sqlite:${file}`],
      ['events', `sqlite:${file}`, 'r'],
      ['cancel', `sqlite:${file}`, 'r'],
    ]) {
      const result = wfstore(...args);
      assert.equal(result.status, 1, args.join(' '));
      assert.match(result.stderr, new RegExp(`sqlite:${file.replaceAll('.', '\\.')}: could not open the store: `));
    }
  });

  it('a login the server refuses', { skip: serverUrl === undefined && 'WFSTORE_PG_URL is not set' }, () => {
    const url = new URL(serverUrl!);
    url.username = 'wfstore_no_such_role';
    url.password = 'hunter2';
    const result = wfstore('runs', url.toString());
    assert.equal(result.status, 1);
    assert.match(result.stderr, /wfstore_no_such_role:\*\*\*@.*: could not open the store: /);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });
});

describe('--help', () => {
  it('documents --idle, every option of cancel and fail, and that a failed run cannot be cancelled', () => {
    assert.match(wfstore('runs', '--help').stdout, /--idle <duration>/);
    for (const command of ['cancel', 'fail']) {
      const { stdout } = wfstore(command, '--help');
      for (const option of ['--reason', '--expect-status', '--store']) assert.ok(stdout.includes(option), option);
      assert.match(stdout, /compare-and-set/);
    }
    const fail = wfstore('fail', '--help').stdout.replace(/\s+/g, ' ');
    assert.match(fail, /cannot be cancelled afterwards: to end a run for good, use cancel/);
  });
});

// wfstore copy, export, import, runs, events and outputs as a user runs them: bin/wfstore.js in a child
// process, on SQLite and filesystem stores in a scratch directory.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { openStore } from '../../src/backends/store-url.js';
import { freePort } from '../../src/testing/postgres/free-port.js';
import { digestOf } from '../../src/transfer/run-data.js';

const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));
const wfstore = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-commands-'));
const at = (name: string) => path.join(scratch, name);
const source = `sqlite:${at('source.db')}`;

before(async () => {
  const store = await openStore(source);
  for (const [id, workflow] of [
    ['a', 'etl'],
    ['b', 'build'],
    ['c', 'etl'],
  ] as const) {
    await store.createWorkflowRun({ id, workflow_name: workflow, user_message: 'go', metadata: { z: 1, a: '\u0000' } });
    await store.createWorkflowEvent({ run_id: id, event_type: 'workflow_started' });
    await store.createWorkflowEvent({
      run_id: id,
      event_type: 'node_completed',
      payload: { node_id: 'fetch', output: { rows: 3, odd: '\ud800' } },
    });
  }
  await store.updateWorkflowRun('b', { status: 'running' });
  await store.close();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The runs and their logs, as text that keeps key order and every code unit. */
async function observe(url: string): Promise<string> {
  const store = await openStore(url);
  try {
    const runs = await store.listWorkflowRuns();
    return JSON.stringify([runs, await Promise.all(runs.map((r) => store.listWorkflowEvents(r.id)))]);
  } finally {
    await store.close();
  }
}

/** The lines of an archive file (gunzipped when it ends in .gz), parsed. */
function records(file: string): { type: string; [key: string]: unknown }[] {
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });
}

describe('wfstore copy', () => {
  it('copies the selected runs, then skips them when run again', () => {
    const target = `file:${at('copy-files')}`;
    const first = wfstore('copy', source, target, '--workflow', 'etl');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /2 written \(0 of them replacing a run\), 0 already there/);
    assert.match(first.stdout, /every run written reads back equal/);
    const again = wfstore('copy', source, target);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /1 written \(0 of them replacing a run\), 2 already there and identical/);
  });

  it('reports a run with another log as a conflict, leaves it, and overwrites it with --replace', async () => {
    const target = `sqlite:${at('conflict.db')}`;
    assert.equal(wfstore('copy', source, target, '--run', 'a').status, 0);
    const store = await openStore(target);
    await store.createWorkflowEvent({ run_id: 'a', event_type: 'local_change' });
    await store.close();
    const conflict = wfstore('copy', source, target, '--run', 'a');
    assert.equal(conflict.status, 1);
    assert.match(
      conflict.stdout,
      /conflict: run "a" is in the target with other content \(run, events or outputs\); left untouched/,
    );
    const events = JSON.parse(`[${wfstore('events', target, 'a', '--json').stdout.trim().split('\n').join(',')}]`);
    assert.equal(events.length, 3, 'the conflicting run was left as it was');
    const replaced = wfstore('copy', source, target, '--run', 'a', '--replace');
    assert.equal(replaced.status, 0, replaced.stdout);
    assert.match(replaced.stdout, /1 written \(1 of them replacing a run\)/);
    assert.equal(wfstore('events', target, 'a', '--json').stdout.trim().split('\n').length, 2);
  });

  it('refuses an unknown run, an unknown status and a bad URL with one line each, and hides passwords', () => {
    const unknown = wfstore('copy', source, 'memory:', '--run', 'nope');
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /--run nope: no such run in the source/);
    const status = wfstore('copy', source, 'memory:', '--status', 'sleeping');
    assert.equal(status.status, 2);
    assert.match(status.stderr, /--status: "sleeping" is not a status/);
    const url = wfstore('copy', source, 'mongodb://me:hunter2@host/db');
    assert.notEqual(url.status, 0);
    assert.match(url.stderr, /file:.*sqlite:.*postgres/);
    assert.doesNotMatch(url.stderr + url.stdout, /hunter2/);
  });
});

describe('wfstore export and import', () => {
  it('round-trips runs through a gzipped archive that says its format and version', async () => {
    const file = at('all.ndjson.gz');
    const exported = wfstore('export', source, file);
    assert.equal(exported.status, 0, exported.stderr);
    const lines = records(file);
    assert.deepEqual(
      [lines[0]!.type, lines[0]!.format, lines[0]!.version, lines.at(-1)!.type],
      ['header', 'wfstore-archive', 1, 'footer'],
    );
    const target = `sqlite:${at('imported.db')}`;
    const imported = wfstore('import', target, file);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /3 written/);
    assert.equal(await observe(target), await observe(source));
  });

  it('writes to standard output and reads from standard input', () => {
    const exported = wfstore('export', source, '--run', 'c');
    assert.equal(exported.status, 0);
    const target = `sqlite:${at('stdin.db')}`;
    const imported = spawnSync(process.execPath, [BIN, 'import', target], { input: exported.stdout, encoding: 'utf8' });
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(wfstore('runs', target, '--json').stdout, /"id": "c"/);
  });

  describe('a bad archive stops at its first bad record, naming the line, and no run is half-imported', () => {
    const plain = () => {
      const file = at('plain.ndjson');
      if (wfstore('export', source, file).status !== 0) throw new Error('export failed');
      return readFileSync(file, 'utf8').trimEnd().split('\n');
    };
    const cases: [string, (lines: string[]) => string[], RegExp][] = [
      [
        'a changed byte in an event',
        (l) => l.map((x, i) => (i === 3 ? x.replace('"rows":3', '"rows":4') : x)),
        /line \d+: run "\w" \(lines \d+ to \d+\) does not match its digest/,
      ],
      ['a truncated archive', (l) => l.slice(0, 7), /the archive ends after line 7, inside run "\w": it is truncated/],
      ['garbage in the middle', (l) => [...l.slice(0, 6), '{not json', ...l.slice(6)], /line 7: not an archive record/],
      [
        'a newer format version',
        (l) => [l[0]!.replace('"version":1', '"version":2'), ...l.slice(1)],
        /line 1: archive format version 2 is newer than this wfstore reads \(1\)/,
      ],
    ];
    for (const [what, damage, message] of cases) {
      it(what, async () => {
        const file = at(`bad-${what.replaceAll(' ', '-')}.ndjson`);
        writeFileSync(file, `${damage(plain()).join('\n')}\n`);
        const target = `sqlite:${at(`bad-${what.replaceAll(' ', '-')}.db`)}`;
        const result = wfstore('import', target, file);
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, message);
        // Runs before the bad record are in, whole; the run it was in is not there at all.
        const store = await openStore(target);
        for (const run of await store.listWorkflowRuns())
          assert.equal((await store.listWorkflowEvents(run.id)).length, 2, `run ${run.id} is whole`);
        await store.close();
      });
    }
  });
});

describe('wfstore runs, events, outputs', () => {
  it('shows the runs as a table, filtered, and as JSON', () => {
    const table = wfstore('runs', source, '--workflow', 'etl');
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^id\s+workflow\s+status\s+created_at\s+updated_at/m);
    assert.match(table.stdout, /^2 run\(s\)$/m);
    const json = JSON.parse(wfstore('runs', source, '--status', 'running', '--json').stdout) as { id: string }[];
    assert.deepEqual(
      json.map((r) => r.id),
      ['b'],
    );
  });

  it('shows a run as a timeline and its outputs, and JSON for scripts', () => {
    const timeline = wfstore('events', source, 'a');
    assert.match(timeline.stdout, /#1\s+\S+\s+workflow_started/);
    assert.match(timeline.stdout, /#2\s+\S+\s+node_completed\s+node_id=fetch {2}output=\{"rows":3,"odd":"\\ud800"\}$/m);
    const outputs = JSON.parse(wfstore('outputs', source, 'a', '--json').stdout) as Record<string, unknown>;
    assert.deepEqual(outputs, { fetch: { rows: 3, odd: '\ud800' } });
  });

  it('says which run is unknown', () => {
    const result = wfstore('events', source, 'nope');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /"nope"/);
  });
});

describe('mistakes a user makes', () => {
  it('a source that does not exist is refused, and nothing is created', () => {
    const missing = at('typo.db');
    const result = wfstore('copy', `sqlite:${missing}`, `sqlite:${at('never.db')}`);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no store at sqlite:.*typo\.db: the file .*typo\.db does not exist/);
    assert.equal(existsSync(missing), false);
    assert.equal(existsSync(at('never.db')), false);
    for (const command of [['runs'], ['export'], ['events', 'a'], ['outputs', 'a']]) {
      const [name, ...rest] = command;
      const look = wfstore(name!, `file:${at('no-such-dir')}`, ...rest);
      assert.equal(look.status, 2, `${name}: ${look.stderr}`);
      assert.match(look.stderr, /the directory .*no-such-dir does not exist/);
    }
    assert.equal(existsSync(at('no-such-dir')), false);
    assert.match(wfstore('copy', 'memory:', `sqlite:${at('never.db')}`).stderr, /memory store lives in one process/);
  });

  it('a plain path to a .db file is pointed at sqlite:', () => {
    const result = wfstore('runs', at('source.db'));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /plain path, which names a filesystem store .* write sqlite:/);
  });

  it('--run repeats, and may come before the stores; --limit must be a count', () => {
    const target = `sqlite:${at('repeat.db')}`;
    const result = wfstore('copy', '--run', 'a', '--run', 'c', source, target);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      (JSON.parse(wfstore('runs', target, '--json').stdout) as { id: string }[]).map((r) => r.id).sort(),
      ['a', 'c'],
    );
    const limit = wfstore('runs', source, '--limit', 'abc');
    assert.equal(limit.status, 2);
    assert.match(limit.stderr, /--limit.*must be an integer of at least 0/);
  });

  it('an import that cannot start creates no store: a missing file, a newer format, gzip on stdin', () => {
    const target = at('not-created.db');
    const missing = wfstore('import', `sqlite:${target}`, at('nope.ndjson'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read .*nope\.ndjson: no such file/);
    const newer = at('v2.ndjson');
    writeFileSync(newer, '{"type":"header","format":"wfstore-archive","version":2}\n');
    assert.match(wfstore('import', `sqlite:${target}`, newer).stderr, /line 1: archive format version 2 is newer/);
    const gz = at('stdin.ndjson.gz');
    assert.equal(wfstore('export', source, gz).status, 0);
    const piped = spawnSync(process.execPath, [BIN, 'import', `sqlite:${target}`], { input: readFileSync(gz) });
    assert.match(
      piped.stderr.toString(),
      /gzip-compressed: give a file name ending in \.gz, or pipe it through gunzip/,
    );
    assert.equal(existsSync(target), false);
  });

  it('an archive whose outputs record disagrees with its events is refused, naming the node', () => {
    const file = at('outputs.ndjson');
    assert.equal(wfstore('export', source, file, '--run', 'a').status, 0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const outputs = records.findIndex((r) => r.type === 'outputs');
    records[outputs]!.outputs = [['fetch', { rows: 4 }]];
    // A writer that computes its digest over what it wrote: the digest holds, the outputs do not.
    const run = records.find((r) => r.type === 'run')!.run;
    const events = records.filter((r) => r.type === 'event').map((r) => r.event);
    records.find((r) => r.type === 'end')!.digest = digestOf({
      run: run as never,
      events: events as never,
      outputs: records[outputs]!.outputs as never,
    });
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const result = wfstore('import', `sqlite:${at('outputs.db')}`, file);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /run "a" \(lines 2 to \d+\): its outputs record gives node "fetch" another output/);
  });

  it('a run with no events shows a count of 0; an unknown run is named', async () => {
    const store = await openStore(source);
    await store.createWorkflowRun({ id: 'empty', workflow_name: 'w', user_message: '' });
    await store.close();
    assert.match(wfstore('events', source, 'empty').stdout, /^0 event\(s\)$/m);
    assert.match(wfstore('events', source, 'nope').stderr, /no run "nope"/);
  });
});

describe('a store URL whose server refuses the connection', () => {
  it('each command names the URL, its password hidden, and says the server could not be reached', async () => {
    const port = await freePort(); // nothing listens there
    const url = `postgres://me:hunter2@127.0.0.1:${port}/db`;
    const shown = new RegExp(`postgres://me:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db: the server could not be reached \\(`);
    const archive = at('to-import.ndjson');
    assert.equal(wfstore('export', source, archive).status, 0);
    for (const args of [
      ['runs', url],
      ['events', url, 'a'],
      ['outputs', url, 'a'],
      ['export', url, at('unreachable.ndjson')],
      ['copy', url, 'memory:'],
      ['copy', source, url],
      ['import', url, archive],
      ['verify', url],
    ]) {
      const { status, stdout, stderr } = wfstore(...args);
      assert.equal(status, 1, `${args[0]}: ${stderr}`);
      assert.match(stderr, shown, args.join(' '));
      assert.match(stderr, /ECONNREFUSED/, args.join(' '));
      assert.doesNotMatch(stdout + stderr, /hunter2/, args.join(' '));
    }
  });
});

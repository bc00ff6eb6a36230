// `wfstore runs` as a user runs it (bin/wfstore.js in a child process): newest first, a page at a time, each
// page ending with the command for the next one; runs created or deleted between pages do not upset it.
// On a filesystem store with its clock set by the test; a store of contract 1.1 through --store.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFilesystemStore } from '../../src/backends/filesystem/index.js';
import { createSqliteStore } from '../../src/backends/sqlite/index.js';
import type { IWorkflowStore } from '../../src/contract/types.js';

const BIN = fileURLToPath(new URL('../../bin/wfstore.js', import.meta.url));
const wfstore = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-runs-'));
const at = (name: string) => path.join(scratch, name);

/** A filesystem store whose clock is the test's: run i is created at second i of 2026. */
async function storeAt(dir: string, clock: { seconds: number }): Promise<IWorkflowStore> {
  const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock.seconds));
  return createFilesystemStore({ artifactsDir: dir, fsync: false, now });
}

/**
 * r01 … r06, created a second apart, and r03b created with r03 (the same created_at: the id decides, so
 * r03b is newer than r03). r02 and r05 are "etl", the others "build".
 */
const SEEDED = ['r01', 'r02', 'r03', 'r03b', 'r04', 'r05', 'r06'];
const clock = { seconds: 0 };
const url = `file:${at('runs')}`;

before(async () => {
  const store = await storeAt(at('runs'), clock);
  for (const id of SEEDED) {
    clock.seconds = Number(id.slice(1, 3));
    await store.createWorkflowRun({
      id,
      workflow_name: ['r02', 'r05'].includes(id) ? 'etl' : 'build',
      user_message: '',
    });
  }
  await store.close();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The ids of a table's rows, in order. */
const idsOf = (stdout: string) => [...stdout.matchAll(/^(r\d\d\w*|new\w*)\s/gm)].map((m) => m[1]!);

/** The arguments of a page's next-page line (the file paths of these tests need no quotes), or undefined. */
function nextPage(text: string): string[] | undefined {
  const line = /^next page: wfstore (.*)$/m.exec(text)?.[1];
  return line?.split(' ');
}

/** Every page from the first, following each next-page line; `between` runs before each next page. */
async function allPages(first: string[], between: (page: number) => Promise<void> = async () => {}) {
  const pages: string[][] = [];
  for (let args: string[] | undefined = first; args !== undefined; ) {
    const result = wfstore(...args);
    assert.equal(result.status, 0, result.stderr);
    pages.push(idsOf(result.stdout));
    args = nextPage(result.stdout);
    if (args !== undefined) await between(pages.length);
    assert.ok(pages.length < 20, 'the pages never end');
  }
  return pages;
}

describe('wfstore runs: newest first, a page at a time', () => {
  it('lists newest first (created_at, then id, both descending) and says how to get the next page', () => {
    const result = wfstore('runs', url, '--limit', '3');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(idsOf(result.stdout), ['r06', 'r05', 'r04']);
    assert.match(result.stdout, /^3 run\(s\)$/m);
    const next = result.stdout.trimEnd().split('\n').at(-1);
    assert.equal(next, `next page: wfstore runs ${url} --limit 3 --after 2026-01-01T00:00:04.000Z,r04`);
  });

  it('the next-page lines go through every run once, and a full last page offers no next one', async () => {
    const pages = await allPages(['runs', url, '--limit', '3']);
    assert.deepEqual(pages, [['r06', 'r05', 'r04'], ['r03b', 'r03', 'r02'], ['r01']]);
    assert.deepEqual(await allPages(['runs', url, '--limit', '7']), [[...SEEDED].reverse()]);
    assert.deepEqual(await allPages(['runs', url, '--limit', '4']), [
      ['r06', 'r05', 'r04', 'r03b'],
      ['r03', 'r02', 'r01'],
    ]);
  });

  it('keeps the filters and the order in the next page: --workflow, --order asc', async () => {
    assert.deepEqual(await allPages(['runs', url, '--workflow', 'build', '--limit', '2']), [
      ['r06', 'r04'],
      ['r03b', 'r03'],
      ['r01'],
    ]);
    assert.deepEqual(await allPages(['runs', url, '--order', 'asc', '--limit', '3']), [
      ['r01', 'r02', 'r03'],
      ['r03b', 'r04', 'r05'],
      ['r06'],
    ]);
    const bounded = wfstore(
      'runs',
      url,
      '--created-after',
      '2026-01-01T00:00:02.000Z',
      '--created-before',
      '2026-01-01T00:00:05.000Z',
    );
    assert.deepEqual(idsOf(bounded.stdout), ['r04', 'r03b', 'r03']);
  });

  it('a run present during the whole paging is seen once, whatever is created or deleted between pages', async () => {
    const dir = at('moving');
    const moving = { seconds: 0 };
    let store = await storeAt(dir, moving);
    for (const id of SEEDED) {
      moving.seconds = Number(id.slice(1, 3));
      await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
    }
    await store.close();
    const pages = await allPages(['runs', `file:${dir}`, '--limit', '2'], async (page) => {
      store = await storeAt(dir, moving);
      moving.seconds = 10 + page;
      await store.createWorkflowRun({ id: `new${page}`, workflow_name: 'w', user_message: '' });
      if (page === 1) await store.deleteWorkflowRun('r03');
      await store.close();
    });
    assert.deepEqual(pages.flat(), ['r06', 'r05', 'r04', 'r03b', 'r02', 'r01']);
  });

  it('without --limit, 50 a page', async () => {
    const dir = at('many');
    const many = { seconds: 0 };
    const store = await storeAt(dir, many);
    for (let i = 1; i <= 51; i++) {
      many.seconds = i;
      await store.createWorkflowRun({ id: `r${String(i).padStart(2, '0')}`, workflow_name: 'w', user_message: '' });
    }
    await store.close();
    const first = wfstore('runs', `file:${dir}`);
    assert.match(first.stdout, /^50 run\(s\)$/m);
    assert.match(first.stdout, /^next page: wfstore runs \S+ --after 2026-01-01T00:00:02.000Z,r02$/m);
  });

  it('--json: the page as a JSON array on stdout, the next-page line on stderr', () => {
    const result = wfstore('runs', url, '--limit', '2', '--json');
    assert.equal(result.status, 0, result.stderr);
    const runs = JSON.parse(result.stdout) as { id: string }[];
    assert.deepEqual(
      runs.map((r) => r.id),
      ['r06', 'r05'],
    );
    assert.equal(
      result.stderr.trim(),
      `next page: wfstore runs ${url} --limit 2 --json --after 2026-01-01T00:00:05.000Z,r05`,
    );
  });

  it('a position that is not <created_at>,<id> is a usage error (exit 2), naming the option', () => {
    for (const bad of ['r04', '2026-01-01T00:00:04Z,r04', '2026-01-01T00:00:04.000Z,r/4']) {
      const result = wfstore('runs', url, '--after', bad);
      assert.equal(result.status, 2, bad);
      assert.match(result.stderr, /option '--after <created_at,id>' argument .* is invalid/);
    }
    assert.equal(wfstore('runs', url, '--order', 'newest').status, 2);
  });

  it('--help documents every option and the paging', () => {
    const { stdout } = wfstore('runs', '--help');
    for (const option of [
      '--status',
      '--workflow',
      '--limit',
      '--order',
      '--after',
      '--created-after',
      '--created-before',
      '--json',
      '--store',
    ])
      assert.ok(stdout.includes(option), option);
    assert.match(stdout, /newest first/);
    assert.match(stdout, /next page: wfstore runs/);
  });
});

describe('wfstore runs on a store of contract 1.1 (an initializer that declares no version)', () => {
  const FIXTURE = fileURLToPath(new URL('./fixtures/sqlite-files.ts', import.meta.url));
  const file = at('old.db');

  before(async () => {
    const store = await createSqliteStore({ filename: file });
    for (const id of ['a', 'b', 'c']) await store.createWorkflowRun({ id, workflow_name: 'w', user_message: '' });
    await store.close();
  });

  it('lists oldest first, the only order 1.1 has, and says when more runs follow', () => {
    const result = wfstore('runs', `store:${file}`, '--store', FIXTURE, '--limit', '2');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      [...result.stdout.matchAll(/^([abc])\s/gm)].map((m) => m[1]),
      ['a', 'b'],
    );
    assert.match(result.stdout, /more runs follow: the store declares contract 1\.1, .* raise --limit/);
    assert.doesNotMatch(result.stdout, /next page/);
  });

  it('refuses --after and --order desc there (exit 2), naming the contract', () => {
    const result = wfstore('runs', `store:${file}`, '--store', FIXTURE, '--after', '2026-01-01T00:00:00.000Z,a');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--after: the store declares contract 1\.1; paging and order need 1\.2/);
  });
});

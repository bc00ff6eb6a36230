// Options are checked like input: at open for what was given, at each call for what the clock and the
// id source return. A misconfigured store is its owner's fault (BACKEND_FAILURE), not the caller's.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineStore } from '../../src/backends/define-store.js';
import { createMemoryStore, MemoryDatabase } from '../../src/backends/memory/index.js';
import { MemoryDriver } from '../../src/backends/memory/driver.js';
import { createPostgresStore } from '../../src/backends/postgres/index.js';
import { StoreOpenError } from '../../src/contract/errors.js';
import type { DeterminismOptions, IWorkflowStore } from '../../src/contract/types.js';
import { refusedAtOpen, rejectsWith } from '../support/assertions.js';

describe('createMemoryStore options', () => {
  it('refuses a bad or unknown option with a StoreOpenError naming it', async () => {
    const refused: [string, unknown][] = [
      ['database', { database: {} }],
      ['database', { database: new Map() }],
      ['database', { database: null }],
      ['databse', { databse: new MemoryDatabase() }],
      ['artifactsDir', { artifactsDir: '/tmp' }],
      ['now', { now: '2026-01-01T00:00:00.000Z' }],
      ['now', { now: null }],
      ['generateId', { generateId: 'id' }],
      ['options', null],
      ['options', []],
    ];
    for (const [option, options] of refused) await refusedAtOpen(createMemoryStore(options as never), option);
  });

  it('takes a MemoryDatabase, no options, or options given as undefined', async () => {
    const database = new MemoryDatabase();
    const first = await createMemoryStore({ database, now: undefined, generateId: undefined });
    await first.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
    const second = await createMemoryStore({ database });
    assert.equal((await second.getWorkflowRun('r'))?.id, 'r');
    await (await createMemoryStore()).close();
    await Promise.all([first.close(), second.close()]);
  });
});

describe('defineStore options', () => {
  const driver = () => new MemoryDriver(new MemoryDatabase());

  it('refuses now and generateId that are not functions, at once, naming them', () => {
    for (const [option, options] of [
      ['now', { now: new Date() }],
      ['generateId', { generateId: 42 }],
      ['options', null],
    ] as const) {
      assert.throws(
        () => defineStore(driver(), options as never),
        (error: unknown) => error instanceof StoreOpenError && new RegExp(`\\b${option}\\b`).test(error.message),
        option,
      );
    }
  });

  it('checks now and generateId of createPostgresStore before connecting', async () => {
    const connectionString = 'postgres://wfstore@127.0.0.1:9/none';
    await refusedAtOpen(createPostgresStore({ connectionString, now: 'soon' as never }), 'now');
    await refusedAtOpen(createPostgresStore({ connectionString, generateId: 1 as never }), 'generateId');
  });
});

/** A memory store whose clock and ids are whatever `config` holds at call time. */
const storeWith = async (config: { now: () => unknown; id: () => unknown }): Promise<IWorkflowStore> =>
  createMemoryStore({ now: () => config.now(), generateId: () => config.id() } as DeterminismOptions);
const good = () => new Date('2026-01-01T00:00:00.000Z');
const yearAt = (year: number) => {
  const date = good();
  date.setUTCFullYear(year);
  return date;
};

describe('a misconfigured clock', () => {
  it(
    'a clock that returns no valid Date of years 1 to 9999: ' + 'BACKEND_FAILURE naming options.now, nothing written',
    async () => {
      const config = { now: good as () => unknown, id: () => 'generated' };
      const store = await storeWith(config);
      await store.createWorkflowRun({ id: 'r', workflow_name: 'w', user_message: '' });
      const before = await store.getWorkflowRun('r');
      const bad: (() => unknown)[] = [
        () => '2026-01-01T00:00:00.000Z',
        () => Date.now(),
        () => undefined,
        () => new Date(Number.NaN),
        () => yearAt(0),
        () => yearAt(10000),
        () => {
          throw new Error('clock unplugged');
        },
      ];
      for (const now of bad) {
        config.now = now;
        for (const call of [
          store.createWorkflowRun({ workflow_name: 'w', user_message: '' }),
          store.updateWorkflowRun('r', { status: 'running' }),
          store.createWorkflowEvent({ run_id: 'r', event_type: 'x' }),
        ]) {
          const error = await rejectsWith(call, 'BACKEND_FAILURE');
          assert.match(error.message, /options\.now\b/, error.message);
        }
      }
      config.now = good;
      assert.deepEqual(await store.listWorkflowRuns(), [before]);
      assert.deepEqual(await store.listWorkflowEvents('r'), []);
      await store.close();
    },
  );
});

describe('a misconfigured id source', () => {
  it(
    'an id source that returns no identifier: ' + 'BACKEND_FAILURE naming options.generateId, nothing written',
    async () => {
      const config = { now: good as () => unknown, id: (() => 'ok') as () => unknown };
      const store = await storeWith(config);
      for (const id of [() => '', () => 'a/b', () => '..', () => 7, () => null, () => 'x'.repeat(129)]) {
        config.id = id;
        const error = await rejectsWith(
          store.createWorkflowRun({ workflow_name: 'w', user_message: '' }),
          'BACKEND_FAILURE',
        );
        assert.match(error.message, /options\.generateId\b/, error.message);
      }
      config.id = () => {
        throw new Error('out of ids');
      };
      const error = await rejectsWith(
        store.createWorkflowRun({ workflow_name: 'w', user_message: '' }),
        'BACKEND_FAILURE',
      );
      assert.match(error.message, /options\.generateId threw: out of ids/);
      assert.deepEqual(await store.listWorkflowRuns(), []);
      // A run created with its own id does not ask the id source.
      assert.equal((await store.createWorkflowRun({ id: 'mine', workflow_name: 'w', user_message: '' })).id, 'mine');
      await store.close();
    },
  );

  it('the caller is still told about its own bad input first, before clock or ids', async () => {
    const store = await storeWith({ now: () => 'never', id: () => 'a/b' });
    await rejectsWith(store.createWorkflowRun({ workflow_name: '', user_message: '' }), 'INVALID_INPUT');
    await store.close();
  });
});

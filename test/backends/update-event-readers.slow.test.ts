// WF-UPD-4 at the scale: a reader in another process, polling throughout 1,000 claim/release cycles
// (2,000 updates, each with its event), never sees a status without its event — on the filesystem, SQLite
// and PostgreSQL. (The conformance scenario runs 200 cycles, to stay quick for third-party stores.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLocation, referenceAddress } from '../../src/conformance/support/open-location.js';
import { readFromProcess } from '../../src/conformance/support/processes.js';
import type { StoreLocation } from '../../src/conformance/reference-initializer.js';
import { createCycledRun, cycle } from '../../src/conformance/support/status-events.js';
import { closeTestServer, openTestServer, type TestServer } from '../support/postgres-server.js';

const CYCLES = 1000;

describe(`a reader in another process over ${CYCLES} claim/release cycles`, () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-update-readers-'));
  let db: TestServer;
  before(async () => (db = await openTestServer()));
  after(async () => {
    await closeTestServer(db);
    rmSync(scratch, { recursive: true, force: true });
  });

  const locations: [string, () => StoreLocation][] = [
    ['filesystem', () => ({ backend: 'filesystem', artifactsDir: path.join(scratch, 'files') })],
    ['sqlite', () => ({ backend: 'sqlite', filename: path.join(scratch, 'wf.db') })],
    [
      'postgres',
      () => ({ backend: 'postgres', connectionString: db.server.connectionString, schema: db.schemas.newName() }),
    ],
  ];
  for (const [name, location] of locations) {
    it(`never sees a status without its event on ${name}`, { timeout: 900_000 }, async () => {
      const where = location();
      const store = await openLocation(where);
      try {
        await createCycledRun(store, 'r1');
        const seen = await readFromProcess(referenceAddress(where), 'r1', () => cycle(store, 'r1', CYCLES));
        console.log(`${name}: ${seen.reads} reads in another process, ${seen.violations.length} violations`);
        // The filesystem's reader waits for the run lock while an update is being committed (a few dozen
        // reads over the whole run, against tens of thousands on SQLite): enough to check, not a speed test.
        assert.ok(seen.reads >= 10, `the reader read only ${seen.reads} times`);
        assert.deepEqual(seen.violations.slice(0, 5), []);
      } finally {
        await store.close();
      }
    });
  }
});

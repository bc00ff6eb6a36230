// The kill -9 campaign of test/support/update-events-kill.ts on the filesystem, SQLite and PostgreSQL, as a
// suite: update-events-kill.test.ts runs a few trials of it, update-events-kill.slow.test.ts many.

import { promises as fs, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StoreLocation } from '../../src/conformance/reference-initializer.js';
import { closeTestServer, openTestServer, type TestServer } from './postgres-server.js';
import { type KillCampaign, killTrials } from './update-events-kill.js';

/** Where the writer was cut, as the log shows it: inside an update's events (not committed), or between. */
async function logTail(location: StoreLocation): Promise<string> {
  const text = await fs.readFile(path.join(String(location.artifactsDir), 'r', 'events.jsonl'), 'utf8');
  const lines = text.split('\n');
  const partial = lines.pop()!;
  const inside = partial.length > 0 || /"committed_by":[0-9]+,"crc":"[0-9a-f]{8}"\}$/.test(lines.at(-1) ?? '');
  return inside ? 'cut inside its events' : 'cut between lines';
}

/** Resolves as soon as the run's log grows (within 10 s): the writer is writing an update's events. */
async function logGrows(location: StoreLocation): Promise<void> {
  const log = path.join(String(location.artifactsDir), 'r', 'events.jsonl');
  const size = statSync(log).size;
  for (const deadline = Date.now() + 10_000; statSync(log).size === size && Date.now() < deadline; )
    await new Promise((resolve) => setImmediate(resolve));
}

export function describeKillCampaign(trials: number, events: number, padding: number): void {
  describe(`kill -9 in the middle of updates of ${events} events (WF-UPD-5)`, () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'wfstore-update-events-kill-'));
    let db: TestServer;
    before(async () => (db = await openTestServer()));
    after(async () => {
      await closeTestServer(db);
      rmSync(scratch, { recursive: true, force: true });
    });
    const campaign: KillCampaign = { trials, events, padding };
    const backends: [string, (trial: number) => StoreLocation, KillCampaign][] = [
      [
        'filesystem',
        (trial) => ({ backend: 'filesystem', artifactsDir: path.join(scratch, `fs-${trial}`) }),
        { ...campaign, inspect: logTail, trigger: logGrows },
      ],
      ['sqlite', (trial) => ({ backend: 'sqlite', filename: path.join(scratch, `t${trial}.db`) }), campaign],
      [
        'postgres',
        () => ({ backend: 'postgres', connectionString: db.server.connectionString, schema: db.schemas.newName() }),
        campaign,
      ],
    ];
    for (const [name, location, settings] of backends) {
      it(`${name}: all of an update's events or none, ${trials} kills`, { timeout: 3_600_000 }, async () => {
        console.log(await killTrials(name, async (trial) => location(trial), settings));
      });
    }
  });
}
